import Autodiff
import TensorCore
import XCTest
import _TestSupport

/// The fixture table of every primitive: adding an op means adding one line here.
let primitiveCases: [GradientCase] = [
  GradientCase("scaled", [.init([2, 3])]) { _, x in x[0].scaled(by: -2.5) },
  GradientCase("sum", [.init([3, 4])]) { _, x in x[0].sum() },
  GradientCase("matmul", [.init([3, 4]), .init([4, 2])]) { _, x in x[0].matmul(x[1]) },
  GradientCase("batchedMatmul", [.init([2, 3, 4]), .init([2, 4, 2])]) { _, x in x[0].batchedMatmul(x[1]) },
  GradientCase("conv2d", [.init([2, 2, 4, 5]), .init([3, 2, 3, 3]), .init([3])]) { _, x in x[0].conv2d(x[1], bias: x[2], padding: 1) },
  GradientCase("conv1d", [.init([2, 2, 7]), .init([3, 2, 3]), .init([3])]) { _, x in x[0].conv1d(x[1], bias: x[2], padding: 2, dilation: 2) },
]

final class PrimitiveGradientTests: XCTestCase {
  func testEveryPrimitiveMatchesCentralDifferences() {
    for (i, c) in primitiveCases.enumerated() {
      for failure in checkGradients(c, seed: 1000 + UInt64(i)) { XCTFail(failure) }
    }
  }
}
