import Foundation
import TensorCore
import XCTest

/// The vectorized Float tanh and sigmoid against libm in Float64.
final class VectorMathTests: XCTestCase {
  /// A dense grid over the range where both functions vary, the tails, and special values; 1001
  /// values so the last vector is a partial one.
  static let inputs: [Float] = (0...1000).map { Float(-30 + 0.06 * Double($0)) }
    + [0, -0, 1e-30, -1e-30, 1e-7, 0.624, 0.626, -0.625, 9, 44, 45, -87, -88, -89, -104, 88, 89, 200, -200,
       .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]

  func testTanhIsWithinAFewUlpOfLibm() {
    check(Float.tanh, reference: { Foundation.tanh($0) }, "tanh")
  }

  func testSigmoidIsWithinAFewUlpOfLibm() {
    check(Float.sigmoid, reference: { 1 / (1 + Foundation.exp(-$0)) }, "sigmoid")
  }

  func testNaNStaysNaNAndInPlaceEqualsOutOfPlace() {
    for f in [Float.tanh, Float.sigmoid] as [(UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void] {
      var x: [Float] = [1, .nan, -2, 3, 0.5, .nan, 7, 8, 9, -0.1, .nan]
      var y = [Float](repeating: 0, count: x.count)
      f(x, &y, x.count)
      XCTAssertEqual(y.map(\.isNaN), x.map(\.isNaN))
      x.withUnsafeMutableBufferPointer { f($0.baseAddress!, $0.baseAddress!, $0.count) }
      XCTAssertEqual(x.map(\.bitPattern), y.map(\.bitPattern))
    }
  }

  private func check(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                     reference: (Double) -> Double, _ name: String) {
    let x = Self.inputs
    var y = [Float](repeating: .nan, count: x.count)
    f(x, &y, x.count)
    for (xi, yi) in zip(x, y) {
      let expected = reference(Double(xi))
      // 4 ulp of the result, and below the smallest normal Float an absolute 2e-38 (σ of a very
      // negative x is clamped at e^-87.3 instead of underflowing).
      let tolerance = max(4 * Double(Float(expected).ulp), 2e-38)
      XCTAssertLessThanOrEqual(abs(Double(yi) - expected), tolerance, "\(name)(\(xi)) = \(yi), libm \(expected)")
    }
  }
}
