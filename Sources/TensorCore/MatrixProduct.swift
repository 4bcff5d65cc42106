import CBLAS

/// One matrix product `C = op(A) · op(B) + beta · C` (batch 1, layouts as `MatmulDimensions`) that
/// sends outputs with at most two rows or two columns to BLAS GEMV, one matrix-vector product per
/// row or column.
///
/// A small flow's conditioner has such shapes (a 2-D coupling's MLP maps 1 → 64 → 64 → 2), and at
/// them a GEMM call costs two to three times a GEMV: 256 × 64 · 64 × 1 took 2.3 µs by sgemm and
/// 0.8 µs by sgemv, and 256 × 64 · 64 × 2 took 2.4 µs against 1.7 µs for two sgemv calls.
public enum MatrixProduct {
  /// The widest output dimension still computed by GEMV.
  static let gemvLimit = 2

  /// c: [m, n] with row stride n; a and b stored as `d` says.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func run<S: TensorScalar>(
    _ d: MatmulDimensions, a: UnsafePointer<S>, b: UnsafePointer<S>, beta: S,
    into c: UnsafeMutablePointer<S>
  ) {
    precondition(d.batch == 1, "MatrixProduct takes one product, got batch \(d.batch)")
    guard d.k > 0 && (d.m <= gemvLimit || d.n <= gemvLimit) else {
      Matmul.forward(d, a: a, b: b, into: c, beta: beta)
      return
    }
    // GEMV scales y by beta itself, but BLAS releases differ on 0 · NaN in memory never written.
    if beta != 1 {
      for i in 0..<(d.m * d.n) { c[i] = beta == 0 ? 0 : beta * c[i] }
    }
    if d.n <= d.m {
      // C[:, j] += op(A) · op(B)[:, j]
      for j in 0..<d.n {
        S.gemv(transpose: d.transposeA, rows: d.transposeA ? d.k : d.m, columns: d.transposeA ? d.m : d.k,
               a: a, lda: d.lda, x: d.transposeB ? b + j * d.ldb : b + j, incx: d.transposeB ? 1 : d.ldb,
               y: c + j, incy: d.n)
      }
    } else {
      // C[i, :] += op(B)ᵀ · op(A)[i, :]
      for i in 0..<d.m {
        S.gemv(transpose: !d.transposeB, rows: d.transposeB ? d.n : d.k, columns: d.transposeB ? d.k : d.n,
               a: b, lda: d.ldb, x: d.transposeA ? a + i : a + i * d.lda, incx: d.transposeA ? d.lda : 1,
               y: c + i * d.n, incy: 1)
      }
    }
  }
}

extension TensorScalar {
  /// `y += op(A) · x` through BLAS, A stored [rows, columns] row-major with row stride lda; op(A)
  /// is A, or Aᵀ when `transpose`.
  @inline(__always)
  static func gemv(
    transpose: Bool, rows: Int, columns: Int, a: UnsafePointer<Self>, lda: Int,
    x: UnsafePointer<Self>, incx: Int, y: UnsafeMutablePointer<Self>, incy: Int
  ) {
    let t = transpose ? CblasTrans : CblasNoTrans
    BLASThreads.callingThreadOnly()
    // Self is Float or Double (the two conformances); the branch is resolved at specialization.
    if Self.self == Float.self {
      cblas_sgemv(CblasRowMajor, t, Int32(rows), Int32(columns), 1, rebound(a), Int32(lda),
                  rebound(x), Int32(incx), 1, rebound(y), Int32(incy))
    } else {
      precondition(Self.self == Double.self, "gemv runs on Float or Double, not \(Self.self)")
      cblas_dgemv(CblasRowMajor, t, Int32(rows), Int32(columns), 1, rebound(a), Int32(lda),
                  rebound(x), Int32(incx), 1, rebound(y), Int32(incy))
    }
  }
}

/// The same memory viewed as T, which the caller has checked is the pointee type.
@inline(__always)
private func rebound<T, U>(_ p: UnsafePointer<T>) -> UnsafePointer<U> {
  UnsafeRawPointer(p).assumingMemoryBound(to: U.self)
}

@inline(__always)
private func rebound<T, U>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<U> {
  UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
}
