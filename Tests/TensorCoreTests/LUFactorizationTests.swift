import TensorCore
import XCTest
import _TestSupport

/// The LAPACK-based LU against its definition, in Float32 and Float64: P · L · U rebuilds A with
/// L unit lower (|multipliers| ≤ 1, as partial pivoting guarantees) and U upper triangular, the
/// inverse satisfies A⁻¹ · A = I, log|det| agrees with the Householder QR oracle, and a singular
/// matrix throws.
final class LUFactorizationTests: XCTestCase {
  let orders = [1, 2, 5, 9]

  func testFactorsRebuildTheMatrix() throws {
    try checkFactors(Float.self)
    try checkFactors(Double.self)
  }

  func testInverseTimesMatrixIsIdentityAndLogDeterminantMatchesQR() throws {
    try checkInverseAndLogDeterminant(Float.self)
    try checkInverseAndLogDeterminant(Double.self)
  }

  func testSingularMatrixThrowsWithItsColumn() {
    checkSingular(Float.self)
    checkSingular(Double.self)
  }

  private func checkFactors<S: TensorScalar>(_: S.Type) throws {
    var rng = SeededGenerator(seed: 41)
    for n in orders {
      let a = KernelCheck.random(n * n, &rng)
      let lu = try PivotedLU(a.map { S($0) }, n: n)
      XCTAssertEqual(lu.permutation.sorted(), Array(0..<n), "n \(n): not a permutation")
      for i in 0..<n {
        for j in 0..<n {
          let l = lu.lower[i * n + j], u = lu.upper[i * n + j]
          if j > i { XCTAssertEqual(l, 0, "n \(n): L(\(i), \(j)) above the diagonal") }
          if j == i { XCTAssertEqual(l, 1, "n \(n): L's diagonal") }
          if j < i { XCTAssertLessThanOrEqual(Swift.abs(l), 1, "n \(n): multiplier L(\(i), \(j))") }
          if j < i { XCTAssertEqual(u, 0, "n \(n): U(\(i), \(j)) below the diagonal") }
        }
      }
      // Row i of P · L · U is row permutation[i] of L · U.
      let product: [S] = (0..<(n * n)).map { e in
        let (i, j) = (e / n, e % n), row = lu.permutation[i]
        return (0..<n).reduce(0) { $0 + lu.lower[row * n + $1] * lu.upper[$1 * n + j] }
      }
      KernelCheck.assertClose(product, a.map { Double(S($0)) }, "P·L·U, n \(n)")
    }
  }

  private func checkInverseAndLogDeterminant<S: TensorScalar>(_: S.Type) throws {
    var rng = SeededGenerator(seed: 42)
    for n in orders {
      let a = KernelCheck.random(n * n, &rng).map { S($0) }
      var inverse = a, pivots = [Int32](repeating: 0, count: n), work = [S](repeating: 0, count: n)
      try LUFactorization.factorInPlace(&inverse, n: n, pivots: &pivots)
      let logDet = LUFactorization.logAbsDeterminant(factors: inverse, n: n)
      let exact = logAbsDeterminant(a.map { Double($0) }, n: n)
      XCTAssertEqual(Double(logDet), exact, accuracy: 1e3 * Double(S.ulpOfOne) * max(1, abs(exact)), "n \(n)")
      LUFactorization.invertInPlace(factors: &inverse, n: n, pivots: pivots, work: &work)
      // Residual bound of a backward-stable inverse: a small multiple of n · ε · max|A⁻¹| (|A| ≤ 1).
      let tolerance = 16 * Double(n) * Double(S.ulpOfOne) * Double(inverse.map { Swift.abs($0) }.max()!)
      for i in 0..<n {
        for j in 0..<n {
          let entry = (0..<n).reduce(0.0) { $0 + Double(inverse[i * n + $1]) * Double(a[$1 * n + j]) }
          XCTAssertEqual(entry, i == j ? 1 : 0, accuracy: tolerance, "\(S.self) n \(n): (A⁻¹·A)(\(i), \(j))")
        }
      }
    }
  }

  private func checkSingular<S: TensorScalar>(_: S.Type) {
    // Column 2 is zero, so the pivot of step 2 is exactly zero whatever the row operations.
    var rng = SeededGenerator(seed: 43)
    let zeroColumn = (0..<16).map { $0 % 4 == 2 ? 0 : S(Double.random(in: -1...1, using: &rng)) }
    // Row 1 is twice row 0 in exact arithmetic, so the pivot of step 1 is exactly zero.
    let repeatedRow: [S] = [1, 2, 2, 4]
    for (a, n, column) in [(zeroColumn, 4, 2), (repeatedRow, 2, 1)] {
      XCTAssertThrowsError(try PivotedLU(a, n: n)) { error in
        XCTAssertEqual(error as? SingularMatrixError, SingularMatrixError(column: column), "\(S.self)")
        XCTAssertTrue("\(error)".contains("column \(column)"), "\(error)")
      }
    }
  }
}
