@testable import Training
import XCTest

final class StepTimingTests: XCTestCase {
  /// Issue 11: reserving `trainer.steps` slots for Int.max steps wrapped Swift's allocation size to a
  /// 24-byte block that the first append overran; the reservation is capped, the arrays still grow.
  func testReservationIsCappedForHugeStepCounts() {
    XCTAssertEqual(StepTiming.reservation(forSteps: 300), 300)
    XCTAssertEqual(StepTiming.reservation(forSteps: -5), 0)
    XCTAssertEqual(StepTiming.reservation(forSteps: .max), 1 << 20)
  }
}
