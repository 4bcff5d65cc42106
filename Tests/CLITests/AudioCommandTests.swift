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
}
