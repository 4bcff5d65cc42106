import TensorCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class ReductionTests: XCTestCase {
  func testLogSumExpMatchesNaiveAlongMiddleAxis() {
    let (outer, n, inner) = (2, 3, 4)
    let x: [Double] = testValues(outer * n * inner)
    var y = [Double](repeating: 0, count: outer * inner)
    var maxima = y, inverseSums = y
    Reduction.logSumExp(x, outer: outer, count: n, inner: inner, into: &y, maxima: &maxima,
                        inverseSums: &inverseSums)
    for o in 0..<outer {
      for k in 0..<inner {
        let naive = Glibc.log((0..<n).reduce(0.0) { $0 + Glibc.exp(x[(o * n + $1) * inner + k]) })
        XCTAssertEqual(y[o * inner + k], naive, accuracy: 1e-14)
      }
    }
  }

  /// exp(1000) overflows Float; the shifted form does not.
  func testLargeInputsStayFinite() {
    let x: [Float] = [1000, 1000, 999, -1000, -1000, -1001]
    var y: [Float] = [0, 0], maxima: [Float] = [0, 0], inverseSums: [Float] = [0, 0]
    Reduction.logSumExp(x, outer: 2, count: 3, inner: 1, into: &y, maxima: &maxima,
                        inverseSums: &inverseSums)
    XCTAssertEqual(Double(y[0]), 1000 + Glibc.log(2 + Glibc.exp(-1.0)), accuracy: 1e-4)
    XCTAssertEqual(Double(y[1]), -1000 + Glibc.log(2 + Glibc.exp(-1.0)), accuracy: 1e-4)
    var infinite: [Float] = [0]
    Reduction.logSumExp([-.infinity, -.infinity], outer: 1, count: 2, inner: 1, into: &infinite,
                        maxima: &maxima, inverseSums: &inverseSums)
    XCTAssertEqual(infinite[0], -.infinity)
  }

  /// The gradient is the softmax, accurate to Float rounding even where y itself has an ulp of
  /// 6e-5, and it sums to the upstream value along the axis.
  func testGradientIsSoftmax() {
    let x: [Float] = [500, 501, 502, 0.5]
    var y: [Float] = [0], maxima: [Float] = [0], inverseSums: [Float] = [0]
    Reduction.logSumExp(x, outer: 1, count: 4, inner: 1, into: &y, maxima: &maxima,
                        inverseSums: &inverseSums)
    var dx = [Float](repeating: 0, count: 4)
    Reduction.accumulateLogSumExpGradient(upstream: [2], input: x, maxima: maxima,
                                          inverseSums: inverseSums, outer: 1, count: 4, inner: 1,
                                          into: &dx)
    let z = 1 + Glibc.exp(1.0) + Glibc.exp(2.0)
    let expected = [2 / z, 2 * Glibc.exp(1.0) / z, 2 * Glibc.exp(2.0) / z, 0]
    for (d, e) in zip(dx, expected) { XCTAssertEqual(Double(d), e, accuracy: 1e-6 * max(1, e)) }
    XCTAssertEqual(Double(dx.reduce(0, +)), 2, accuracy: 1e-6)
  }
}
