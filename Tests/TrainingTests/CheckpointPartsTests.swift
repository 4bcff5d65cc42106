import Datasets
@testable import Training
import XCTest

final class CheckpointPartsTests: XCTestCase {
  let metadata = CheckpointMetadata(
    training: TrainingState(step: 500, cursor: 128_000, skippedSteps: 3, skippedInARow: 0, dataDependentInitDone: true),
    epoch: 3, seed: UInt64.max, globalBatch: 256, worldSize: 2,
    configText: "model:\n  hidden: [64, 64]\n", exampleShape: [1, 8, 8],
    optimizer: .adamax, optimizerSteps: 497, emaUpdates: 497)

  func testMetadataRoundTripsThroughStrings() throws {
    XCTAssertEqual(try CheckpointMetadata(metadata.strings, path: "c"), metadata)
    var withoutEMA = metadata
    withoutEMA.emaUpdates = nil
    XCTAssertNil(withoutEMA.strings["ema_updates"])
    XCTAssertEqual(try CheckpointMetadata(withoutEMA.strings, path: "c"), withoutEMA)
  }

  func testBadMetadataNamesTheKey() {
    var strings = metadata.strings
    strings["data_cursor"] = "-4"
    XCTAssertThrowsError(try CheckpointMetadata(strings, path: "c.safetensors")) { error in
      XCTAssertEqual("\(error)", "c.safetensors: __metadata__ 'data_cursor' is '-4', not a non-negative integer; the file is corrupted")
    }
    strings = metadata.strings
    strings["step"] = nil
    XCTAssertThrowsError(try CheckpointMetadata(strings, path: "c")) { error in
      XCTAssertTrue("\(error)".contains("no 'step'"), "\(error)")
    }
    strings = metadata.strings
    strings["format"] = "something else"
    XCTAssertThrowsError(try CheckpointMetadata(strings, path: "c")) { error in
      XCTAssertTrue("\(error)".contains("not a laminar checkpoint"), "\(error)")
    }
  }

  func testCheckpointFileNames() {
    XCTAssertEqual(CheckpointDirectory.fileName(step: 500), "ckpt-000500.safetensors")
    XCTAssertEqual(CheckpointDirectory.fileName(step: 1_234_567), "ckpt-1234567.safetensors")
    XCTAssertEqual(CheckpointDirectory.step(ofFileName: "ckpt-000500.safetensors"), 500)
    XCTAssertNil(CheckpointDirectory.step(ofFileName: "ckpt-000500.safetensors.tmp"))
    XCTAssertNil(CheckpointDirectory.step(ofFileName: "ckpt-best.safetensors"))
    XCTAssertNil(CheckpointDirectory.step(ofFileName: "metrics.jsonl"))
  }
}
