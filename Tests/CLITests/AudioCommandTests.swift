import Foundation
import XCTest

/// `laminar mel` and `laminar eval-audio` on the fixture's 16 kHz tone.
final class AudioCommandTests: XCTestCase {
  func testMelWritesEightyBandsByFrames() throws {
    let fixture = try CLIFixture.shared.get()
    let out = fixture.directory + "/tone-mel.npy"
    let mel = try LaminarProcess.run(["mel", fixture.directory + "/tone.wav", "--out", out])
    XCTAssertEqual(mel.status, 0, mel.errors)
    XCTAssertTrue(mel.output.contains("80 × 16 log-mel frames"), mel.output)
    let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)).prefix(128), as: UTF8.self)
    XCTAssertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (80, 16)"), header)
  }

  func testGriffinLimEvaluationPrintsItsRowAndWritesPairsAndTheFigure() throws {
    let fixture = try CLIFixture.shared.get()
    let speech = fixture.directory + "/speech", out = fixture.directory + "/gl"
    try FileManager.default.createDirectory(atPath: speech, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixture.directory + "/tone.wav", toPath: speech + "/a.wav")
    let run = try LaminarProcess.run(["eval-audio", "--griffin-lim", "--iterations", "3", "--data", speech, "--out", out])
    XCTAssertEqual(run.status, 0, run.errors)
    XCTAssertTrue(run.output.contains("utterances   1 (0.2 s)"), run.output)
    XCTAssertTrue(run.output.contains("griffin-lim-3"), run.output)
    for name in ["000-reference.wav", "000-griffin-lim-3.wav", "mels.png"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + name), name)
    }
  }

  /// A vocoder run leaves its first training segment and the final checkpoint's audio for it (1024
  /// samples from 5 mel frames) as 16-bit WAVs beside the pictures; TensorBoard gets both.
  func testAVocoderRunWritesReferenceAndGeneratedAudio() throws {
    let fixture = try CLIFixture.shared.get()
    for name in ["reference-0.wav", "generated-0.wav"] {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/vocoder/" + name))
      XCTAssertEqual(bytes.count, 44 + 2 * 1024, name)
    }
    let events = try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/vocoder")
      .filter { $0.contains("tfevents") }
    XCTAssertEqual(events.count, 1)
    let log = try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/vocoder/" + events[0]))
    XCTAssertNotNil(log.range(of: Data("generated-0".utf8)), "the generated audio is in the TensorBoard events")
    XCTAssertNotNil(log.range(of: Data("audio/wav".utf8)))
  }

  /// Copy-synthesis of the tone through the fixture's (untrained) vocoder: a 16-bit WAV of
  /// (frames − 1) hops, and the real-time factor printed; then eval beside Griffin-Lim.
  func testVocodeWritesAudioAndEvalComparesWithGriffinLim() throws {
    let fixture = try CLIFixture.shared.get()
    let out = fixture.directory + "/tone-vocoded.wav"
    let run = try LaminarProcess.run(["vocode", "--checkpoint", fixture.vocoder, "--wav", fixture.directory + "/tone.wav",
                                      "--out", out, "--chunk-frames", "4", "--context-frames", "2"])
    XCTAssertEqual(run.status, 0, run.errors)
    XCTAssertTrue(run.output.contains("× real time (σ 0.60)"), run.output)
    XCTAssertTrue(run.errors.contains("frame 15/15"), run.errors)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
    XCTAssertEqual(bytes.count, 44 + 2 * 15 * 256, "a 16-bit mono WAV of 15 hops")
    // Chunks of 4 frames with 2 frames of context (more than the receptive field) join without seams: one chunk gives the same audio.
    let whole = fixture.directory + "/tone-vocoded-whole.wav"
    let once = try LaminarProcess.run(["vocode", "--checkpoint", fixture.vocoder, "--wav", fixture.directory + "/tone.wav",
                                       "--out", whole, "--chunk-frames", "1000"])
    XCTAssertEqual(once.status, 0, once.errors)
    func pcm(_ data: Data) -> [Int16] {
      stride(from: 44, to: data.count - 1, by: 2).map { Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8) }
    }
    let seamless = zip(pcm(bytes), pcm(try Data(contentsOf: URL(fileURLWithPath: whole)))).map { abs(Int($0) - Int($1)) }
    XCTAssertLessThanOrEqual(seamless.max() ?? 99, 1, "chunked and whole generation differ by more than 1 LSB")
    // The denoiser keeps the length; a negative strength is refused by name.
    let denoised = fixture.directory + "/tone-denoised.wav"
    let clean = try LaminarProcess.run(["vocode", "--checkpoint", fixture.vocoder, "--wav", fixture.directory + "/tone.wav",
                                        "--out", denoised, "--denoise", "0.01"])
    XCTAssertEqual(clean.status, 0, clean.errors)
    XCTAssertTrue(clean.output.contains("denoising: the vocoder's hum given silence removed at strength 0.01"), clean.output)
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: denoised)).count, bytes.count)
    XCTAssertNotEqual(pcm(try Data(contentsOf: URL(fileURLWithPath: denoised))), pcm(bytes), "denoising changed nothing")
    let negative = try LaminarProcess.run(["vocode", "--checkpoint", fixture.vocoder, "--wav", fixture.directory + "/tone.wav",
                                           "--out", denoised, "--denoise", "-1"])
    XCTAssertNotEqual(negative.status, 0)
    XCTAssertTrue(negative.errors.contains("--denoise must be a finite strength >= 0"), negative.errors)
    let speech = fixture.directory + "/vocoder-speech", figures = fixture.directory + "/vocoder-eval"
    try FileManager.default.createDirectory(atPath: speech, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixture.directory + "/tone.wav", toPath: speech + "/a.wav")
    let eval = try LaminarProcess.run(["eval", "--checkpoint", fixture.vocoder, "--data", speech, "--out", figures])
    XCTAssertEqual(eval.status, 0, eval.errors)
    for text in ["nats per audio sample", "vocoder σ 0.60", "griffin-lim-100", "on 1 thread", "on 2 threads"] {
      XCTAssertTrue(eval.output.contains(text), "\(text) in \(eval.output)")
    }
    for name in ["000-reference.wav", "000-vocoder.wav", "000-griffin-lim-100.wav", "mels-vocoder.png"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: figures + "/" + name), name)
    }
  }
}
