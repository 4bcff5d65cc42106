import Foundation

/// LU decomposition with partial pivoting of an n×n row-major matrix in Float64:
/// ```
/// A = P · L · U,   (P · M)[i, :] = M[permutation[i], :]
/// ```
/// with L unit lower triangular and U upper triangular. Used once, at construction, to
/// parameterize `InvertibleLinear` from a random rotation.
struct PivotedLU {
  let n: Int
  /// Row i of A is row `permutation[i]` of L · U.
  let permutation: [Int]
  /// [n, n], ones on the diagonal, zeros above it.
  let lower: [Double]
  /// [n, n], zeros below the diagonal.
  let upper: [Double]

  init(_ a: [Double], n: Int) {
    precondition(a.count == n * n, "expected \(n)×\(n) entries, got \(a.count)")
    // Doolittle elimination in place: multipliers below the diagonal, U on and above it.
    var m = a
    // rows[i]: the row of A now at position i.
    var rows = Array(0..<n)
    for k in 0..<n {
      let pivot = (k..<n).max { Swift.abs(m[$0 * n + k]) < Swift.abs(m[$1 * n + k]) }!
      precondition(m[pivot * n + k] != 0, "matrix is singular (column \(k))")
      if pivot != k {
        for j in 0..<n { m.swapAt(k * n + j, pivot * n + j) }
        rows.swapAt(k, pivot)
      }
      for i in (k + 1)..<n {
        let f = m[i * n + k] / m[k * n + k]
        m[i * n + k] = f
        for j in (k + 1)..<n { m[i * n + j] -= f * m[k * n + j] }
      }
    }
    self.n = n
    var permutation = [Int](repeating: 0, count: n)
    for (position, row) in rows.enumerated() { permutation[row] = position }
    self.permutation = permutation
    lower = (0..<(n * n)).map { i in i / n == i % n ? 1 : (i % n < i / n ? m[i] : 0) }
    upper = (0..<(n * n)).map { i in i % n >= i / n ? m[i] : 0 }
  }
}
