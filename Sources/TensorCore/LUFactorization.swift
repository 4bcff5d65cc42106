/// A matrix an LU factorization found singular: its pivot in `column` is exactly zero.
public struct SingularMatrixError: Error, Equatable, CustomStringConvertible {
  /// The first column (0-based) whose pivot is zero.
  public let column: Int

  public init(column: Int) {
    self.column = column
  }

  public var description: String { "singular matrix: the LU pivot of column \(column) is exactly zero" }
}

/// LU decomposition with partial pivoting through LAPACK's getrf, the one LU of the project:
/// ```
/// A = P · L · U
/// ```
/// with L unit lower triangular and U upper triangular. These functions work on caller memory
/// (the tape's arena), so tape ops factor without allocating; `PivotedLU` holds the factors of a
/// row-major matrix as arrays.
///
/// LAPACK is column-major: a row-major buffer of A is the column-major storage of Aᵀ, which has
/// the same log|det|, and whose inverse (Aᵀ)⁻¹ = (A⁻¹)ᵀ is, read row-major, A⁻¹.
public enum LUFactorization {
  /// Factors in place the column-major [n, n] matrix `a`: afterwards it holds L's multipliers
  /// below the diagonal and U on and above it, and `pivots` [n] holds getrf's 1-based row
  /// interchanges (row k was swapped with row `pivots[k] − 1` at step k).
  public static func factorInPlace<S: TensorScalar>(
    _ a: UnsafeMutablePointer<S>, n: Int, pivots: UnsafeMutablePointer<Int32>
  ) throws(SingularMatrixError) {
    let info = S.getrf(n: n, a: a, pivots: pivots)
    precondition(info >= 0, "getrf rejected its argument \(-info) (n = \(n))")
    if info > 0 { throw SingularMatrixError(column: info - 1) }
  }

  /// log|det A| = Σ_k log|U[k, k]|, from the factors of `factorInPlace`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func logAbsDeterminant<S: TensorScalar>(factors a: UnsafePointer<S>, n: Int) -> S {
    var result: S = 0
    for k in 0..<n { result += S.log(Swift.abs(a[k * n + k])) }
    return result
  }

  /// A⁻¹ in place of the factors and pivots of `factorInPlace`; `work` is [n] scratch (getri's
  /// unblocked path, which is all the small matrices here need).
  public static func invertInPlace<S: TensorScalar>(
    factors a: UnsafeMutablePointer<S>, n: Int, pivots: UnsafePointer<Int32>, work: UnsafeMutablePointer<S>
  ) {
    let info = S.getri(n: n, a: a, pivots: pivots, work: work, workCount: max(n, 1))
    precondition(info == 0, "getri failed (info \(info)) on the factors of a nonsingular matrix")
  }
}
