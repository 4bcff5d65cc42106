/// The Moore–Penrose inverse of a full-row-rank matrix, for the mel basis (80 × 513).
enum PseudoInverse {
  /// [columns, rows] A⁺ = Aᵀ(A·Aᵀ)⁻¹ of a [rows, columns] matrix A with rows ≤ columns and full
  /// row rank, through a Cholesky factorization of A·Aᵀ in Float64.
  static func rightInverse(_ a: [Double], rows m: Int, columns n: Int) -> [Double] {
    precondition(a.count == m * n && m <= n, "right inverse needs a wide [\(m), \(n)] matrix")
    var gram = [Double](repeating: 0, count: m * m)
    for i in 0 ..< m {
      for j in 0 ... i {
        var sum = 0.0
        for k in 0 ..< n { sum += a[i * n + k] * a[j * n + k] }
        gram[i * m + j] = sum
        gram[j * m + i] = sum
      }
    }
    // Lower-triangular L with L·Lᵀ = A·Aᵀ.
    var l = [Double](repeating: 0, count: m * m)
    for i in 0 ..< m {
      for j in 0 ... i {
        var sum = gram[i * m + j]
        for k in 0 ..< j { sum -= l[i * m + k] * l[j * m + k] }
        if i == j {
          precondition(sum > 0, "A·Aᵀ is not positive definite: A does not have full row rank")
          l[i * m + i] = sum.squareRoot()
        } else {
          l[i * m + j] = sum / l[j * m + j]
        }
      }
    }
    // Column c of A⁺ᵀ (row c of A⁺) solves (L·Lᵀ)·y = A[:, c].
    var result = [Double](repeating: 0, count: n * m)
    var y = [Double](repeating: 0, count: m)
    for c in 0 ..< n {
      for i in 0 ..< m {
        var sum = a[i * n + c]
        for k in 0 ..< i { sum -= l[i * m + k] * y[k] }
        y[i] = sum / l[i * m + i]
      }
      for i in stride(from: m - 1, through: 0, by: -1) {
        var sum = y[i]
        for k in i + 1 ..< m { sum -= l[k * m + i] * y[k] }
        y[i] = sum / l[i * m + i]
      }
      for i in 0 ..< m { result[c * m + i] = y[i] }
    }
    return result
  }
}
