import Configuration
import Training
import XCTest

final class LearningRateScheduleTests: XCTestCase {
  func testWarmupThenConstant() {
    let s = LearningRateSchedule(peak: 1e-3, warmupSteps: 4)
    XCTAssertEqual(s.learningRate(atStep: 0), 0.25e-3, accuracy: 1e-18)
    XCTAssertEqual(s.learningRate(atStep: 2), 0.75e-3, accuracy: 1e-18)
    XCTAssertEqual(s.learningRate(atStep: 3), 1e-3)
    XCTAssertEqual(s.learningRate(atStep: 4), 1e-3)
    XCTAssertEqual(s.learningRate(atStep: 1_000_000), 1e-3)
  }

  func testNoWarmupStartsAtPeak() {
    XCTAssertEqual(LearningRateSchedule(peak: 0.5).learningRate(atStep: 0), 0.5)
  }

  func testCosineBoundaries() {
    let s = LearningRateSchedule(peak: 1, warmupSteps: 10, decay: .cosine, totalSteps: 110, floor: 0.1)
    XCTAssertEqual(s.learningRate(atStep: 9), 1)
    XCTAssertEqual(s.learningRate(atStep: 10), 1)
    XCTAssertEqual(s.learningRate(atStep: 60), 0.55, accuracy: 1e-15)
    // A quarter of the way: floor + (peak − floor)(1 + cos π/4)/2.
    XCTAssertEqual(s.learningRate(atStep: 35), 0.1 + 0.9 * (1 + 0.5.squareRoot()) / 2, accuracy: 1e-15)
    XCTAssertEqual(s.learningRate(atStep: 110), 0.1, accuracy: 1e-15)
    XCTAssertEqual(s.learningRate(atStep: 500), 0.1, accuracy: 1e-15)
    XCTAssertGreaterThan(s.learningRate(atStep: 109), 0.1)
  }

  func testCosineIsMonotoneAfterWarmup() {
    let s = LearningRateSchedule(peak: 3e-4, warmupSteps: 0, decay: .cosine, totalSteps: 50)
    for step in 1..<60 { XCTAssertLessThanOrEqual(s.learningRate(atStep: step), s.learningRate(atStep: step - 1)) }
  }

  func testReadFromConfig() throws {
    let config = try Config(yaml: "trainer:\n  lr: 2e-3\n  warmup_steps: 5\n  decay: cosine\n", source: "t.yaml")
    let s = try LearningRateSchedule(config: config.section("trainer"), totalSteps: 100)
    XCTAssertEqual(s, LearningRateSchedule(peak: 2e-3, warmupSteps: 5, decay: .cosine, totalSteps: 100))
    try config.rejectUnusedKeys()

    let bad = try Config(yaml: "trainer:\n  lr: 1e-3\n  lr_floor: 0.1\n", source: "t.yaml")
    XCTAssertThrowsError(try LearningRateSchedule(config: bad.section("trainer"), totalSteps: 100)) { error in
      XCTAssertEqual("\(error)", "t.yaml:3:13: 'trainer.lr_floor' must be between 0 and lr (0.001); found '0.1'")
    }
  }
}
