import Foundation

/// log|det A| of an n×n row-major matrix by Householder QR in Float64: |det A| = Π_k |R[k, k]|.
///
/// The test oracle for log-determinants. It is QR on purpose, not LU: the library computes its
/// log-determinants with LAPACK's LU (`LUFactorization`), and an oracle running the same algorithm
/// would share its mistakes. −∞ for a singular matrix.
public func logAbsDeterminant(_ a: [Double], n: Int) -> Double {
  precondition(a.count == n * n, "expected \(n)×\(n) entries, got \(a.count)")
  var r = a
  var result = 0.0
  for k in 0..<n {
    // The reflection H = I − 2vvᵀ/(vᵀv) maps column k below the diagonal, x, onto α·e₁.
    let norm = (k..<n).reduce(0.0) { $0 + r[$1 * n + k] * r[$1 * n + k] }.squareRoot()
    if norm == 0 { return -.infinity }
    let alpha = r[k * n + k] > 0 ? -norm : norm
    var v = (k..<n).map { r[$0 * n + k] }
    v[0] -= alpha
    let vv = v.reduce(0) { $0 + $1 * $1 }
    for j in k..<n {
      let dot = (k..<n).reduce(0.0) { $0 + v[$1 - k] * r[$1 * n + j] }
      for i in k..<n { r[i * n + j] -= 2 * dot / vv * v[i - k] }
    }
    result += Foundation.log(norm)
  }
  return result
}
