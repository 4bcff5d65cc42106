import TensorCore
import XCTest
import _TestSupport

/// The triangular solves against the definition: `A · x = b` (and `Aᵀ · x = b`) for each row,
/// with the entries outside the triangle set to NaN so reading any of them fails the check.
final class TriangularSolveTests: XCTestCase {
  let triangles = [true, false].flatMap { lower in
    [true, false].map { Triangle(lower: lower, unitDiagonal: $0) }
  }

  /// A random n×n matrix whose triangle is well conditioned (diagonal in [1, 2]) and whose other
  /// entries are NaN, and the dense matrix the solve should see (ones on a unit diagonal).
  func matrices(n: Int, triangle: Triangle, rng: inout SeededGenerator) -> (poisoned: [Double], dense: [Double]) {
    var poisoned = [Double](repeating: .nan, count: n * n), dense = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in triangle.columns(row: i, n: n) {
        poisoned[i * n + j] = i == j ? Double.random(in: 1...2, using: &rng) : Double.random(in: -1...1, using: &rng)
        dense[i * n + j] = poisoned[i * n + j]
      }
      if triangle.unitDiagonal { dense[i * n + i] = 1 }
    }
    return (poisoned, dense)
  }

  func testSolvesSatisfyTheirSystems() {
    var rng = SeededGenerator(seed: 31)
    let n = 5, rows = 3
    for triangle in triangles {
      let (a, dense) = matrices(n: n, triangle: triangle, rng: &rng)
      let b = KernelCheck.random(rows * n, &rng)
      for transposed in [false, true] {
        var x = b
        x.withUnsafeMutableBufferPointer { p in
          a.withUnsafeBufferPointer { ap in
            if transposed {
              TriangularSolve.solveTransposedInPlace(ap.baseAddress!, n: n, triangle: triangle, p.baseAddress!, rows: rows)
            } else {
              TriangularSolve.solveInPlace(ap.baseAddress!, n: n, triangle: triangle, p.baseAddress!, rows: rows)
            }
          }
        }
        // Residual of each row: (op(A) x)_i = Σ_j op(A)_ij x_j.
        var product = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows {
          for i in 0..<n {
            for j in 0..<n {
              product[r * n + i] += (transposed ? dense[j * n + i] : dense[i * n + j]) * x[r * n + j]
            }
          }
        }
        KernelCheck.assertClose(product, b, "\(triangle) transposed \(transposed)")
      }
    }
  }

  func testMatrixGradientTouchesOnlyTheTriangle() {
    var rng = SeededGenerator(seed: 32)
    let n = 4, rows = 2
    for triangle in triangles {
      let lambda = KernelCheck.random(rows * n, &rng), x = KernelCheck.random(rows * n, &rng)
      var dA = [Double](repeating: 0, count: n * n)
      TriangularSolve.accumulateMatrixGradient(lambda: lambda, solution: x, n: n, rows: rows,
                                               triangle: triangle, into: &dA)
      for i in 0..<n {
        for j in 0..<n {
          let inside = triangle.columns(row: i, n: n).contains(j)
          let expected = inside ? -(0..<rows).reduce(0) { $0 + lambda[$1 * n + i] * x[$1 * n + j] } : 0
          XCTAssertEqual(dA[i * n + j], expected, accuracy: 1e-14, "\(triangle) entry (\(i), \(j))")
        }
      }
    }
  }
}
