/// Which triangle of a square matrix a triangular solve reads.
public struct Triangle: Hashable, Sendable {
  /// The lower triangle (entries with column ≤ row) rather than the upper one.
  public var lower: Bool
  /// The diagonal is taken as all ones and not read.
  public var unitDiagonal: Bool

  public init(lower: Bool, unitDiagonal: Bool) {
    self.lower = lower
    self.unitDiagonal = unitDiagonal
  }

  /// Every column of row i that is read, of an n×n matrix: the ones strictly off the diagonal
  /// inside the triangle, plus i unless `unitDiagonal`.
  @inline(__always)
  public func columns(row i: Int, n: Int) -> Range<Int> {
    let diagonal = unitDiagonal ? 0 : 1
    return lower ? 0..<(i + diagonal) : (i + 1 - diagonal)..<n
  }
}

/// Solves with a triangular matrix, one right-hand side per row, through BLAS's trsm; the entries
/// outside the triangle are never read, so a full parameter matrix can be passed as is.
///
/// A is [n, n] row-major; the right-hand sides and solutions are [rows, n].
public enum TriangularSolve {
  /// `x[r] ← A⁻¹ x[r]` for every row r, i.e. X ← X · A⁻ᵀ.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func solveInPlace<S: TensorScalar>(
    _ a: UnsafePointer<S>, n: Int, triangle: Triangle, _ x: UnsafeMutablePointer<S>, rows: Int
  ) {
    S.trsm(transposeA: true, lower: triangle.lower, unitDiagonal: triangle.unitDiagonal, m: rows, n: n,
           a: a, lda: max(n, 1), b: x, ldb: max(n, 1))
  }

  /// `x[r] ← A⁻ᵀ x[r]` for every row r, i.e. X ← X · A⁻¹: the solve with the transpose, which is
  /// the adjoint the gradient needs.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func solveTransposedInPlace<S: TensorScalar>(
    _ a: UnsafePointer<S>, n: Int, triangle: Triangle, _ x: UnsafeMutablePointer<S>, rows: Int
  ) {
    S.trsm(transposeA: false, lower: triangle.lower, unitDiagonal: triangle.unitDiagonal, m: rows, n: n,
           a: a, lda: max(n, 1), b: x, ldb: max(n, 1))
  }

  /// `dA[i, j] −= Σ_r λ[r, i] · x[r, j]` for the entries (i, j) inside the triangle: the gradient
  /// of `<g, A⁻¹b>` with respect to A, given `λ = A⁻ᵀ g` and the solution x.
  ///
  /// lambda, x: [rows, n]; dA: [n, n]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateMatrixGradient<S: TensorScalar>(
    lambda: UnsafePointer<S>, solution x: UnsafePointer<S>, n: Int, rows: Int, triangle: Triangle,
    into dA: UnsafeMutablePointer<S>
  ) {
    for r in 0..<rows {
      let lr = lambda + r * n, xr = x + r * n
      for i in 0..<n {
        let li = lr[i], di = dA + i * n
        for j in triangle.columns(row: i, n: n) { di[j] -= li * xr[j] }
      }
    }
  }
}
