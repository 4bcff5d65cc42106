/// The LU factors of an n×n row-major matrix, as arrays (`LUFactorization` on a copy):
/// ```
/// A = P · L · U,   (P · M)[i, :] = M[permutation[i], :]
/// ```
/// with L unit lower triangular and U upper triangular. Used once, at construction, to
/// parameterize `InvertibleLinear` from a random rotation.
public struct PivotedLU<S: TensorScalar> {
  public let n: Int
  /// Row i of A is row `permutation[i]` of L · U.
  public let permutation: [Int]
  /// [n, n], ones on the diagonal, zeros above it.
  public let lower: [S]
  /// [n, n], zeros below the diagonal.
  public let upper: [S]

  public init(_ a: [S], n: Int) throws(SingularMatrixError) {
    precondition(n >= 1 && a.count == n * n, "expected \(n)×\(n) entries (n ≥ 1), got \(a.count)")
    // LAPACK wants A column-major, which is Aᵀ's row-major storage.
    var factors = (0..<(n * n)).map { a[($0 % n) * n + $0 / n] }
    var pivots = [Int32](repeating: 0, count: n)
    let singular = factors.withUnsafeMutableBufferPointer { f in
      pivots.withUnsafeMutableBufferPointer { p -> SingularMatrixError? in
        do throws(SingularMatrixError) {
          try LUFactorization.factorInPlace(f.baseAddress!, n: n, pivots: p.baseAddress!)
          return nil
        } catch { return error }
      }
    }
    if let singular { throw singular }
    self.n = n
    permutation = Self.permutation(pivots)
    // Entry (i, j) of the factors is factors[j * n + i] (column-major).
    lower = (0..<(n * n)).map { k in
      let (i, j) = (k / n, k % n)
      return i == j ? 1 : (j < i ? factors[j * n + i] : 0)
    }
    upper = (0..<(n * n)).map { k in k % n >= k / n ? factors[(k % n) * n + k / n] : 0 }
  }

  /// permutation[r] = the position in L · U of row r of A, from getrf's interchanges.
  private static func permutation(_ pivots: [Int32]) -> [Int] {
    // rows[i]: the row of A that ends up at position i.
    var rows = Array(pivots.indices)
    for (k, p) in pivots.enumerated() { rows.swapAt(k, Int(p) - 1) }
    var permutation = [Int](repeating: 0, count: rows.count)
    for (position, row) in rows.enumerated() { permutation[row] = position }
    return permutation
  }
}
