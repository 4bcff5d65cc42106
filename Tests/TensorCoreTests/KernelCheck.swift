import TensorCore
import XCTest
import _TestSupport

/// Shared helpers of the GEMM and convolution kernel tests.
enum KernelCheck {
  static func random(_ count: Int, _ rng: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in Double.random(in: -1...1, using: &rng) }
  }

  /// Relative tolerance of a kernel result against a Float64 oracle: rounding of S over short sums.
  static func tolerance<S: TensorScalar>(_: S.Type) -> Double { S.self == Float.self ? 2e-5 : 1e-12 }

  /// Fails at the first entry where `actual` and `expected` differ by more than `tolerance`
  /// relative to the largest expected magnitude.
  static func assertClose<S: TensorScalar>(
    _ actual: [S], _ expected: [Double], _ what: String,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
    let scale = max(1, expected.map(abs).max() ?? 0)
    let tol = tolerance(S.self) * scale
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(Double(a) - e) <= tol) {
      XCTFail("\(what) [\(S.self)] entry \(i): got \(a), expected \(e)", file: file, line: line)
      return
    }
  }

  /// Scratch filled with NaN, so a kernel that reads scratch before writing it fails the comparison.
  static func poisonedScratch<S: TensorScalar>(_ count: Int, _: S.Type) -> [S] {
    [S](repeating: .nan, count: max(count, 1))
  }
}
