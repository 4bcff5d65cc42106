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

  /// The columns of row i strictly off the diagonal inside the triangle, of an n×n matrix.
  @inline(__always)
  public func offDiagonalColumns(row i: Int, n: Int) -> Range<Int> {
    lower ? 0..<i : (i + 1)..<n
  }

  /// Every column of row i that is read: the off-diagonal ones, plus i unless `unitDiagonal`.
  @inline(__always)
  public func columns(row i: Int, n: Int) -> Range<Int> {
    if unitDiagonal { return offDiagonalColumns(row: i, n: n) }
    return lower ? 0..<(i + 1) : i..<n
  }
}

/// Solves with a triangular matrix, one right-hand side per row, by substitution; the entries
/// outside the triangle are never read, so a full parameter matrix can be passed as is.
///
/// A is [n, n] row-major; the right-hand sides and solutions are [rows, n].
public enum TriangularSolve {
  /// `x[r] ← A⁻¹ x[r]` for every row r (forward substitution for a lower A, back substitution
  /// for an upper one).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func solveInPlace<S: TensorScalar>(
    _ a: UnsafePointer<S>, n: Int, triangle: Triangle, _ x: UnsafeMutablePointer<S>, rows: Int
  ) {
    for r in 0..<rows {
      let xr = x + r * n
      for step in 0..<n {
        let i = triangle.lower ? step : n - 1 - step
        let ai = a + i * n
        var acc = xr[i]
        for j in triangle.offDiagonalColumns(row: i, n: n) { acc -= ai[j] * xr[j] }
        xr[i] = triangle.unitDiagonal ? acc : acc / ai[i]
      }
    }
  }

  /// `x[r] ← A⁻ᵀ x[r]` for every row r: the solve with the transpose, which is the adjoint the
  /// gradient needs. Runs over the rows of A (each entry is eliminated once it is final), so A is
  /// still read row by row.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func solveTransposedInPlace<S: TensorScalar>(
    _ a: UnsafePointer<S>, n: Int, triangle: Triangle, _ x: UnsafeMutablePointer<S>, rows: Int
  ) {
    for r in 0..<rows {
      let xr = x + r * n
      // Aᵀ of a lower A is upper: the last unknown is final first.
      for step in 0..<n {
        let i = triangle.lower ? n - 1 - step : step
        let ai = a + i * n
        if !triangle.unitDiagonal { xr[i] /= ai[i] }
        let xi = xr[i]
        for j in triangle.offDiagonalColumns(row: i, n: n) { xr[j] -= ai[j] * xi }
      }
    }
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
