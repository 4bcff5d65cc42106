import Configuration
import Training
import XCTest

final class TrainerOptionsTests: XCTestCase {
  func testReadsEveryKeyOfTheTrainerSection() throws {
    let config = try Config(yaml: """
      trainer:
        batch_size: 48
        steps: 900
        seed: 5
        init_batch: 96
        lr: 3e-4
        warmup_steps: 10
        decay: cosine
        optimizer: adamax
        clip_norm: 2.5
        ema_decay: 0.99
        log_every: 7
        eval_every: 50
        eval_batch: 24
        checkpoint_every: 300
        keep_checkpoints: 2
        max_nonfinite_in_a_row: 4
        reversible: true
      """, source: "run.yaml")
    let options = try TrainerOptions(config: config.section("trainer"))
    try config.rejectUnusedKeys()
    XCTAssertEqual(options.globalBatch, 48)
    XCTAssertEqual(options.steps, 900)
    XCTAssertEqual(options.seed, 5)
    XCTAssertEqual(options.initBatch, 96)
    XCTAssertEqual(options.schedule, LearningRateSchedule(peak: 3e-4, warmupSteps: 10, decay: .cosine, totalSteps: 900))
    XCTAssertEqual(options.optimizer.kind, .adamax)
    XCTAssertEqual(options.clipNorm, 2.5)
    XCTAssertEqual(options.emaDecay, 0.99)
    XCTAssertEqual(options.logEvery, 7)
    XCTAssertEqual(options.validationEvery, 50)
    XCTAssertEqual(options.validationBatch, 24)
    XCTAssertEqual(options.checkpointEvery, 300)
    XCTAssertEqual(options.keepCheckpoints, 2)
    XCTAssertEqual(options.maxNonFiniteInARow, 4)
    XCTAssertTrue(options.reversible)
  }

  func testDefaultsAndRangeErrorsNameTheKey() throws {
    let minimal = try Config(yaml: "trainer: {batch_size: 32, steps: 10, lr: 1e-3}", source: "run.yaml")
    let options = try TrainerOptions(config: minimal.section("trainer"))
    XCTAssertEqual(options.initBatch, 32)
    XCTAssertNil(options.clipNorm)
    XCTAssertNil(options.emaDecay)
    XCTAssertFalse(options.reversible, "activations are stored unless asked")

    let bad = try Config(yaml: "trainer: {batch_size: 32, steps: 10, lr: 1e-3, ema_decay: 1.5}", source: "run.yaml")
    XCTAssertThrowsError(try TrainerOptions(config: bad.section("trainer"))) { error in
      XCTAssertTrue("\(error)".contains("'trainer.ema_decay' must be in [0, 1)"), "\(error)")
    }
  }

  func testABatchSmallerThanTheWorldIsRejectedBeforeTraining() throws {
    XCTAssertNoThrow(try LocalRun(options: TrainerOptions(globalBatch: 1, steps: 1), directory: nil))
    assertTrainerError("every rank needs at least one example") {
      _ = try LocalRun(options: TrainerOptions(globalBatch: 0, steps: 1), directory: nil)
    }
  }
}
