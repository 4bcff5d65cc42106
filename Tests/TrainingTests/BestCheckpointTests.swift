import Foundation
import Training
import XCTest

final class BestCheckpointTests: XCTestCase {
  func testBestCheckpointHoldsTheLowestValidationAndSurvivesResume() throws {
    let directory = try ScratchDirectory()
    var options = toyOptions(steps: 6, totalSteps: 12, checkpointEvery: 3)
    options.validationEvery = 1
    let validation = ToyGaussian.source(count: 40, seed: 4)
    let first = try LocalRun(options: options, directory: directory.path, validation: validation)
    let summary = try first.trainer.train()
    let best = try Checkpoint(contentsOf: directory.file("best.safetensors"))
    let recorded = try XCTUnwrap(best.validationNatsPerDimension)
    XCTAssertEqual(recorded, try XCTUnwrap(summary.bestValidationNatsPerDimension), accuracy: 1e-12)

    // The best file is not a `ckpt-` file: resuming continues from step 6, not from the best step.
    options.steps = 12
    let second = try LocalRun(options: options, directory: directory.path, resume: .auto, validation: validation)
    let resumed = try second.trainer.train()
    XCTAssertEqual(resumed.firstStep, 6)
    let after = try XCTUnwrap(try Checkpoint(contentsOf: directory.file("best.safetensors")).validationNatsPerDimension)
    XCTAssertLessThanOrEqual(after, recorded, "a resumed run must not replace the best file with a worse one")
    XCTAssertEqual(after, min(recorded, try XCTUnwrap(resumed.bestValidationNatsPerDimension)), accuracy: 1e-12)
  }
}
