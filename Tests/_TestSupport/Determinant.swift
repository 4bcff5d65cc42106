import Foundation

/// log|det A| of an n×n row-major matrix by LU with partial pivoting, in Float64.
public func logAbsDeterminant(_ a: [Double], n: Int) -> Double {
  precondition(a.count == n * n, "expected \(n)×\(n) entries, got \(a.count)")
  var m = a
  var result = 0.0
  for col in 0..<n {
    var pivot = col
    for r in (col + 1)..<max(col + 1, n) where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
    if m[pivot * n + col] == 0 { return -.infinity }
    if pivot != col {
      for k in 0..<n { m.swapAt(pivot * n + k, col * n + k) }
    }
    let p = m[col * n + col]
    result += Foundation.log(abs(p))
    for r in (col + 1)..<max(col + 1, n) {
      let f = m[r * n + col] / p
      for k in col..<n { m[r * n + k] -= f * m[col * n + k] }
    }
  }
  return result
}
