import Foundation
import Training
import XCTest
import _TestSupport

/// Event files read back by TensorBoard itself (the `tensorboard` pip package, which
/// launch/setup installs): tags, steps and values of a short run, images, resume without
/// duplicate steps, and non-finite scalars.
final class TensorBoardReadBackTests: XCTestCase {
  /// Prints, as JSON, per event file its header, whether every event re-encodes to the bytes we
  /// wrote (our encoding is protobuf's canonical one) and its steps; then what EventAccumulator
  /// loads from the whole directory: scalars as [step, value] (non-finite values as text, which
  /// JSON lacks), images as [step, width, height, bytes] and audio as [step, rate, frames, bytes].
  private static let reader = """
    import json, math, os, sys
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
    from tensorboard.compat.proto import event_pb2
    d = sys.argv[1]
    out = {"files": [], "scalars": {}, "images": {}, "audio": {}}
    for name in sorted(f for f in os.listdir(d) if "tfevents" in f):
        raw = list(RawEventFileLoader(os.path.join(d, name)).Load())
        events = [event_pb2.Event.FromString(r) for r in raw]
        out["files"].append({"header": events[0].file_version, "steps": [e.step for e in events],
                             "canonical": all(e.SerializeToString() == r for e, r in zip(events, raw))})
    acc = EventAccumulator(d, size_guidance={"scalars": 0, "images": 0, "audio": 0})
    acc.Reload()
    for tag in acc.Tags()["scalars"]:
        out["scalars"][tag] = [[s.step, s.value if math.isfinite(s.value) else str(s.value)] for s in acc.Scalars(tag)]
    for tag in acc.Tags()["images"]:
        out["images"][tag] = [[i.step, i.width, i.height, len(i.encoded_image_string)] for i in acc.Images(tag)]
    for tag in acc.Tags()["audio"]:
        out["audio"][tag] = [[a.step, a.sample_rate, a.length_frames, len(a.encoded_audio_string)]
                             for a in acc.Audio(tag) if a.content_type == "audio/wav"]
    print(json.dumps(out))
    """

  private struct Loaded: Decodable {
    struct File: Decodable {
      let header: String
      let steps: [Int]
      let canonical: Bool
    }
    let files: [File]
    let scalars: [String: [[Value]]]
    let images: [String: [[Int]]]
    let audio: [String: [[Int]]]
  }

  /// A step or a value: a number, or "nan" / "inf" / "-inf".
  private enum Value: Decodable, Equatable {
    case number(Double)
    case text(String)

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let x = try? container.decode(Double.self) { self = .number(x) } else { self = .text(try container.decode(String.self)) }
    }
  }

  private func load(_ directory: String) throws -> Loaded {
    try PythonProcess.require("tensorboard")
    let result = try PythonProcess.run(Self.reader, [directory])
    XCTAssertEqual(result.status, 0, result.errors)
    return try JSONDecoder().decode(Loaded.self, from: Data(result.output.utf8))
  }

  /// Every number of `metrics.jsonl` as TensorBoard should show it: tag → [[step, value]].
  private func expectedScalars(_ metrics: String) throws -> [String: [[Value]]] {
    var expected: [String: [[Value]]] = [:]
    func add(_ tag: String, _ value: Any, step: Int) {
      if let nested = value as? [String: Any] {
        for (key, inner) in nested { add(tag + "/" + key, inner, step: step) }
      } else if let x = value as? Double {
        expected[tag, default: []].append([.number(Double(step)), .number(Double(Float(x)))])
      }
    }
    for line in try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n") {
      let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let step = try XCTUnwrap(object["step"] as? Int)
      for (key, value) in object where key != "step" { add(key, value, step: step) }
    }
    return expected
  }

  /// The same tags and steps, and values equal to a Float's precision: `metrics.jsonl`'s decimals
  /// go through Foundation's JSON parser, which may land a Double one ulp off, and at a midpoint
  /// between two Floats (a mean of Float sums can be one) that flips the rounding to Float.
  private func assertScalars(_ loaded: [String: [[Value]]], match expected: [String: [[Value]]],
                             file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(loaded.keys.sorted(), expected.keys.sorted(), file: file, line: line)
    for (tag, points) in expected {
      let got = loaded[tag] ?? []
      XCTAssertEqual(got.map { $0[0] }, points.map { $0[0] }, "steps of \(tag)", file: file, line: line)
      for (a, b) in zip(got, points) {
        guard case .number(let x) = a[1], case .number(let y) = b[1] else {
          XCTFail("\(tag): \(a) vs \(b)", file: file, line: line)
          continue
        }
        XCTAssertEqual(x, y, accuracy: Double(Float(y).ulp), "\(tag) at step \(a[0])", file: file, line: line)
      }
    }
  }

  func testAShortRunsScalarsAndPicturesReadBackInTensorBoard() throws {
    let directory = try ScratchDirectory()
    var options = toyOptions(steps: 6)
    options.validationEvery = 3
    let run = try LocalRun(options: options, directory: directory.path, validation: ToyGaussian.source(count: 40, seed: 4))
    _ = try run.trainer.train()
    try Data(Self.dotPNG).write(to: URL(fileURLWithPath: directory.file("dot.png")))
    try Data(Self.clickWAV).write(to: URL(fileURLWithPath: directory.file("click.wav")))
    try run.trainer.addFilesToTensorBoard(["dot.png", "not-drawn.png", "click.wav"])

    let loaded = try load(directory.path)
    XCTAssertEqual(loaded.files.count, 1)
    XCTAssertEqual(loaded.files.first?.header, "brain.Event:2")
    XCTAssertEqual(loaded.files.first?.canonical, true, "our bytes are protobuf's canonical encoding")
    assertScalars(loaded.scalars, match: try expectedScalars(directory.file("metrics.jsonl")))
    for tag in ["loss", "bits_per_dim", "nats_per_dim", "lr", "grad_norm", "samples_per_second", "ms_per_step",
                "skipped_steps", "log_abs_det_per_dim/1.VectorCoupling", "val_nats_per_dim", "epoch"] {
      XCTAssertNotNil(loaded.scalars[tag], "no scalar \(tag) in \(loaded.scalars.keys.sorted())")
    }
    XCTAssertEqual(loaded.scalars["loss"]?.map { $0[0] }, [2, 4, 6].map { .number($0) })
    XCTAssertEqual(loaded.images, ["dot": [[6, 1, 1, Self.dotPNG.count]]])
    XCTAssertEqual(loaded.audio, ["click": [[6, 16000, 4, Self.clickWAV.count]]])
  }

  func testResumeAppendsWithoutDuplicateSteps() throws {
    let directory = try ScratchDirectory()
    _ = try LocalRun(options: toyOptions(steps: 6, checkpointEvery: 4), directory: directory.path).trainer.train()
    // As if the run had died before its step-6 checkpoint landed: its step-6 events exist.
    try FileManager.default.removeItem(atPath: directory.file("ckpt-000006.safetensors"))
    // A later second names a second event file, as a real restart does.
    Thread.sleep(forTimeInterval: 1.05)
    _ = try LocalRun(options: toyOptions(steps: 6, checkpointEvery: 4), directory: directory.path, resume: .auto)
      .trainer.train()

    let loaded = try load(directory.path)
    XCTAssertEqual(loaded.files.map(\.header), ["brain.Event:2", "brain.Event:2"])
    XCTAssertEqual(loaded.files.map(\.steps), [[0, 2, 4], [0, 6]], "the first file is cut back to the checkpoint")
    assertScalars(loaded.scalars, match: try expectedScalars(directory.file("metrics.jsonl")))
    XCTAssertEqual(loaded.scalars["loss"]?.map { $0[0] }, [2, 4, 6].map { .number($0) })
  }

  func testNonFiniteScalarsReadBackAsTheyAre() throws {
    let directory = try ScratchDirectory()
    var record = MetricsRecord(step: 1, epoch: 0)
    record.set("loss", .nan)
    record.set("grad_norm", .infinity)
    record.set("lr", -Double.infinity)
    try TensorBoardWriter(directory: directory.path).append(record)

    let loaded = try load(directory.path)
    XCTAssertEqual(loaded.files.first?.canonical, true)
    XCTAssertEqual(loaded.scalars["loss"], [[.number(1), .text("nan")]])
    XCTAssertEqual(loaded.scalars["grad_norm"], [[.number(1), .text("inf")]])
    XCTAssertEqual(loaded.scalars["lr"], [[.number(1), .text("-inf")]])
  }

  /// A 16 kHz mono 16-bit WAV of 4 samples, built by hand: RIFF header, `fmt ` (PCM, 1 channel,
  /// 16000 Hz, 32000 bytes/s, block 2, 16 bits) and `data` chunks.
  static let clickWAV: [UInt8] = {
    func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    let samples: [Int16] = [0, 16384, -16384, 0]
    let data = samples.flatMap { le(Int($0), 2) }
    return Array("RIFF".utf8) + le(36 + data.count, 4) + Array("WAVE".utf8)
      + Array("fmt ".utf8) + le(16, 4) + le(1, 2) + le(1, 2) + le(16000, 4) + le(32000, 4) + le(2, 2) + le(16, 2)
      + Array("data".utf8) + le(data.count, 4) + data
  }()

  /// A 1×1 RGBA PNG.
  static let dotPNG: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  ]
}
