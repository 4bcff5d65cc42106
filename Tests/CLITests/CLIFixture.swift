import Foundation

/// The files the command-line cases point at, made once per test run in a temporary directory:
/// a checkpoint from a 2-step `laminar train`, a diverged one, broken copies, tiny `.npy` and YAML files.
final class CLIFixture: Sendable {
  let directory: String
  var checkpoint: String { directory + "/run/ckpt-000002.safetensors" }
  /// A run whose learning rate of 1e30 made every parameter huge: its log-likelihoods are NaN.
  var diverged: String { directory + "/diverged/ckpt-000001.safetensors" }
  /// A one-step WaveGlow on noise with 80-band "mels", enough to run vocode and eval end to end.
  var vocoder: String { directory + "/vocoder/ckpt-000001.safetensors" }

  /// The fixture, or why it could not be made (every test that needs it then fails with that).
  static let shared = Result { try CLIFixture() }

  private init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Self.train(directory + "/run", ["--set", "trainer.steps=2"], expecting: checkpoint)
    try Self.train(directory + "/diverged", ["--set", "trainer.steps=1", "--set", "trainer.lr=1e30"], expecting: diverged)
    try Self.train(directory + "/vocoder", config: "configs/vocoder-peer.yaml", [
      "--set", "data.bands=80", "--set", "data.segment_length=1024", "--set", "data.train_count=4",
      "--set", "model.flows=2", "--set", "model.wn_layers=2", "--set", "model.wn_channels=4",
      "--set", "model.upsample_kernel=256", "--set", "trainer.batch_size=2", "--set", "trainer.steps=1",
      "--set", "trainer.checkpoint_every=1",
    ], expecting: vocoder)
    let checkpointBytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
    try write(Data("not a checkpoint\n".utf8), "junk.safetensors")
    try write(checkpointBytes.prefix(100), "truncated.safetensors")
    try write(Self.npy(descr: "<f4", shape: [4, 2], Array(repeating: Float(0.5), count: 8)), "rows.npy")
    try write(Self.npy(descr: "<f4", shape: [4, 3], Array(repeating: Float(0.5), count: 12)), "rows3.npy")
    try write(Self.npy(descr: "<i8", shape: [3], [Int64(0), 1, 0]), "labels3.npy")
    try write(Self.npy(descr: "<i8", shape: [4], [Int64(0), 1, 0, 1]), "labels4.npy")
    try write(Data("data: [1, 2\n".utf8), "broken.yaml")
    try write(Data("data:\n  source: toy\n".utf8), "partial.yaml")
    let tone = (0 ..< 4000).map { Int16(8000 * sin(Double($0) * 0.2)) }
    try write(Self.wav16(tone, sampleRate: 16000), "tone.wav")
    try write(Self.wav16(Array(tone.prefix(400)), sampleRate: 16000), "short.wav")
    try write(Self.wav16(tone, sampleRate: 44100), "fast.wav")
  }

  /// A mono 16-bit PCM WAV file: the 44-byte canonical header, then the samples.
  private static func wav16(_ samples: [Int16], sampleRate: Int) -> Data {
    func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0 ..< bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    var data = Data("RIFF".utf8) + le(36 + 2 * samples.count, 4) + Data("WAVEfmt ".utf8)
    data += le(16, 4) + le(1, 2) + le(1, 2) + le(sampleRate, 4) + le(2 * sampleRate, 4) + le(2, 2) + le(16, 2)
    data += Data("data".utf8) + le(2 * samples.count, 4)
    samples.withUnsafeBytes { data.append(contentsOf: $0) }
    return data
  }

  /// A short run of a tiny moons RealNVP into `run`, with `extra` overrides; throws unless it
  /// leaves `expected` behind.
  private static func train(_ run: String, _ extra: [String], expecting expected: String) throws {
    try train(run, config: "configs/moons-realnvp.yaml", [
      "--set", "trainer.batch_size=16", "--set", "data.train_count=64", "--set", "data.validation_count=16",
      "--set", "model.layers=2", "--set", "model.hidden=[8]", "--set", "trainer.checkpoint_every=1",
    ] + extra, expecting: expected)
  }

  private static func train(_ run: String, config: String, _ arguments: [String], expecting expected: String) throws {
    let train = try LaminarProcess.run(["train", "--config", config, "--out", run] + arguments)
    guard train.status == 0, FileManager.default.fileExists(atPath: expected) else {
      throw FixtureError(description: "laminar train for the fixture exited with \(train.status):\n\(train.errors)")
    }
  }

  /// `argument` with `{dir}` and `{ckpt}` replaced by the fixture's directory and checkpoint.
  func expand(_ argument: String) -> String {
    argument.replacingOccurrences(of: "{ckpt}", with: checkpoint).replacingOccurrences(of: "{vocoder}", with: vocoder).replacingOccurrences(of: "{diverged}", with: diverged)
      .replacingOccurrences(of: "{dir}", with: directory)
  }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }

  private func write(_ data: Data, _ name: String) throws {
    try data.write(to: URL(fileURLWithPath: directory + "/" + name))
  }

  /// A version 1.0 `.npy` file: magic, header length, a Python dict padded to 64 bytes, the data.
  static func npy<T>(descr: String, shape: [Int], _ values: [T]) -> Data {
    let dimensions = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dimensions)), }"
    header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    data.append(contentsOf: Array(header.utf8))
    values.withUnsafeBytes { data.append(contentsOf: $0) }
    return data
  }

  private struct FixtureError: Error, CustomStringConvertible { let description: String }
}
