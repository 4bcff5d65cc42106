import Autodiff
import TensorCore
import XCTest
import _TestSupport

/// The fixture table of every primitive: adding an op means adding one line here.
let primitiveCases: [GradientCase] = [
  GradientCase("scaled", [.init([2, 3])]) { _, x in x[0].scaled(by: -2.5) },
  GradientCase("sum", [.init([3, 4])]) { _, x in x[0].sum() },
]

final class PrimitiveGradientTests: XCTestCase {
  func testEveryPrimitiveMatchesCentralDifferences() {
    for (i, c) in primitiveCases.enumerated() {
      for failure in checkGradients(c, seed: 1000 + UInt64(i)) { XCTFail(failure) }
    }
  }
}
