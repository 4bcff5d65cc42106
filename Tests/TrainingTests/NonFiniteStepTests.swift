import Datasets
import Foundation
import TensorCore
@testable import Training
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
    assertTrainerError("stopped at step 7", "3 steps in a row", "ckpt-000004.safetensors, is intact") {
      _ = try run.trainer.train()
    }
    XCTAssertEqual(run.trainer.skippedSteps, 3)
    // Step 6 came in the middle of the streak: nothing is saved then, so the checkpoints from
    // before the streak are neither replaced nor pruned.
    XCTAssertEqual(try directory.checkpoints(), ["ckpt-000002.safetensors", "ckpt-000004.safetensors"])
    XCTAssertEqual(FileManager.default.contents(atPath: directory.file("ckpt-000004.safetensors")), before)
    XCTAssertTrue(run.log.text.contains("step 6: not saving a checkpoint while steps are skipped (2 in a row)"),
                  run.log.text)
    XCTAssertTrue(run.parameters.allSatisfy(\.isFinite))
  }

  func testResumingRestartsTheCountInARowButKeepsTheTotal() throws {
    let directory = try ScratchDirectory()
    let first = try LocalRun(options: toyOptions(steps: 4), directory: directory.path).trainer
    _ = try first.train()
    // Saved in a streak, as builds before issue 11 did.
    var metadata = first.checkpointMetadata()
    metadata.training.skippedInARow = 2
    metadata.training.skippedSteps = 5
    try CheckpointFile.write(to: directory.file("ckpt-000004.safetensors"), parameters: first.parameters,
                             optimizer: first.optimizer.state, ema: first.ema?.shadow, metadata: metadata)

    var poisoned = ToyGaussian.source(count: 256, seed: 1)
    poisoned.poisoned = Set(0..<256)
    var options = toyOptions(steps: 20)
    options.maxNonFiniteInARow = 3
    let run = try LocalRun(options: options, directory: directory.path, resume: .auto, source: poisoned)
    assertTrainerError("stopped at step 7", "3 steps in a row") { _ = try run.trainer.train() }
    XCTAssertEqual(run.trainer.skippedSteps, 5 + 3)
    XCTAssertTrue(run.log.text.contains("that count restarts at 0"), run.log.text)
  }
}
