import TensorCore
import XCTest

/// MatrixProduct's GEMV routes (one or two output rows or columns) and its GEMM fallback against
/// direct loops, for every transpose combination and beta 0 (over NaN) and 1.
final class MatrixProductTests: XCTestCase {
  func testEveryRouteMatchesLoops() {
    let shapes = [(1, 5, 3), (2, 4, 3), (4, 1, 3), (5, 2, 4), (3, 4, 5), (2, 2, 1)]
    var seed = 1.0
    func values(_ n: Int) -> [Double] {
      (0..<n).map { i in seed += 1; return ((Double(i) * 0.37 + seed * 0.11).truncatingRemainder(dividingBy: 2)) - 1 }
    }
    for (m, n, k) in shapes {
      for ta in [false, true] { for tb in [false, true] { for beta in [0.0, 1.0] {
        let d = MatmulDimensions(m: m, n: n, k: k, transposeA: ta, transposeB: tb)
        let a = values(m * k), b = values(k * n), c0 = values(m * n)
        var c = beta == 0 ? [Double](repeating: .nan, count: m * n) : c0
        MatrixProduct.run(d, a: a, b: b, beta: beta, into: &c)
        let expected = zip(MatmulReference.product(d, a, b), c0).map { $0 + beta * $1 }
        for (got, want) in zip(c, expected) {
          XCTAssertEqual(got, want, accuracy: 1e-12, "m \(m) n \(n) k \(k) transposes \(ta) \(tb) beta \(beta)")
        }
      } } }
    }
  }
}
