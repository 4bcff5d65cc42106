import Training
import XCTest

final class NonFiniteCheckTests: XCTestCase {
  func testFindsEveryKindOfNonFiniteAtEveryPosition() {
    for bad in [Float.nan, .infinity, -.infinity, .signalingNaN] {
      for position in [0, 6, 16, 32] {
        var g = [Float](repeating: 1, count: 33)
        g[position] = bad
        let found = g.withUnsafeBufferPointer { NonFiniteCheck.containsNonFinite(loss: 1, gradients: $0) }
        XCTAssertTrue(found, "\(bad) at \(position)")
      }
    }
  }

  func testFiniteExtremesPass() {
    let g: [Float] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 0, -0]
    XCTAssertFalse(g.withUnsafeBufferPointer { NonFiniteCheck.containsNonFinite(loss: 3, gradients: $0) })
    XCTAssertFalse(NonFiniteCheck.containsNonFinite(loss: 0, gradients: UnsafeBufferPointer(start: nil, count: 0)))
  }

  func testNonFiniteLossIsFlagged() {
    let g: [Float] = [1, 2]
    for loss in [Double.nan, .infinity, -.infinity] {
      XCTAssertTrue(g.withUnsafeBufferPointer { NonFiniteCheck.containsNonFinite(loss: loss, gradients: $0) })
    }
  }
}
