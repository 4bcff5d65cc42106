import Datasets
import Foundation
import TensorCore
import Training
import XCTest

final class NonFiniteStepTests: XCTestCase {
  func testAStepWithANaNExampleIsSkippedOnAllRanksAndCounted() throws {
    let directory = try ScratchDirectory()
    var source = ToyGaussian.source(count: 256, seed: 1)
    // Global position 20 of epoch 0 lies in the second batch of 16 and outside the actnorm init batch.
    let options = toyOptions(steps: 4)
    source.poisoned = [RandomPermutation.epoch(0, count: source.count, seed: options.seed)[20]]
    let run = try LocalRun(options: options, directory: directory.path, source: source)
    let summary = try run.trainer.train()

    XCTAssertEqual(summary.skippedSteps, 1)
    XCTAssertEqual(summary.finalStep, 4)
    XCTAssertTrue(run.parameters.allSatisfy(\.isFinite))
    XCTAssertTrue(run.log.text.contains("step 2: non-finite loss or gradient"), run.log.text)
    let checkpoint = try Checkpoint(contentsOf: directory.file("ckpt-000004.safetensors"))
    XCTAssertEqual(checkpoint.metadata["skipped_steps"], "1")
    XCTAssertEqual(checkpoint.metadata["optimizer_steps"], "3", "the skipped step applied no update")
  }

  func testTrainingStopsAfterNSkippedStepsInARowLeavingTheLastCheckpointIntact() throws {
    let directory = try ScratchDirectory()
    _ = try LocalRun(options: toyOptions(steps: 4, checkpointEvery: 2), directory: directory.path).trainer.train()
    let before = try XCTUnwrap(FileManager.default.contents(atPath: directory.file("ckpt-000004.safetensors")))

    var poisoned = ToyGaussian.source(count: 256, seed: 1)
    poisoned.poisoned = Set(0..<256)
    var options = toyOptions(steps: 20, checkpointEvery: 2)
    options.maxNonFiniteInARow = 3
    let run = try LocalRun(options: options, directory: directory.path, resume: .auto, source: poisoned)
    assertTrainerError("stopped at step 7", "3 steps in a row", "ckpt-000006.safetensors, is intact") {
      _ = try run.trainer.train()
    }
    XCTAssertEqual(run.trainer.skippedSteps, 3)
    // Step 6 came in the middle of the streak: its checkpoint holds the unchanged, finite
    // parameters and the streak so far; nothing is written for the step that stopped the run.
    XCTAssertEqual(try directory.checkpoints(),
                   ["ckpt-000002.safetensors", "ckpt-000004.safetensors", "ckpt-000006.safetensors"])
    XCTAssertEqual(FileManager.default.contents(atPath: directory.file("ckpt-000004.safetensors")), before)
    let streak = try Checkpoint(contentsOf: directory.file("ckpt-000006.safetensors"))
    XCTAssertEqual(streak.metadata["skipped_in_a_row"], "2")
    let saved = LocalStore()
    try streak.loadParameters(into: saved.store)
    XCTAssertEqual(Array(saved.store.values), run.parameters)
    XCTAssertTrue(run.parameters.allSatisfy(\.isFinite))
  }
}
