import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// A floating-point type the kernels run on: Float32 for training, Float64 for gradient checks.
///
/// Kernels are generic over `TensorScalar` and carry `@_specialize(where S == Float)` and
/// `@_specialize(where S == Double)`, so a call from an unspecialized context (a backward rule
/// reached through an existential metatype) still runs the specialized loop.
public protocol TensorScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible
where Self.RawSignificand: FixedWidthInteger {
  static func exp(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  /// log(1 + x), accurate for small x.
  static func log(onePlus x: Self) -> Self
  /// exp(x) - 1, accurate for small x.
  static func expMinusOne(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  /// `y[i] = tanh(x[i])` and `y[i] = σ(x[i])` over buffers (vectorized for Float, see
  /// `VectorMath`); x and y may be the same buffer.
  static func tanh(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)
  static func sigmoid(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)
  static func pow(_ x: Self, _ y: Self) -> Self

  /// `C = alpha * op(A) * op(B) + beta * C`, row-major, through BLAS.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// `B ← B · op(A)⁻¹`, i.e. the X with `X · op(A) = B`, row-major, through BLAS's trsm. A is
  /// triangular [n, n] (only the `lower` or upper triangle is read; not the diagonal when
  /// `unitDiagonal`), B is [m, n]. See `TensorScalar+LinearSolvers.swift`.
  static func trsm(
    transposeA: Bool, lower: Bool, unitDiagonal: Bool, m: Int, n: Int,
    a: UnsafePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int)

  /// LU with partial pivoting of the column-major [n, n] matrix `a` in place, through LAPACK's
  /// getrf; `pivots` gets n 1-based row indices. Returns LAPACK's info: 0, or k > 0 when
  /// U[k − 1, k − 1] is exactly zero.
  static func getrf(n: Int, a: UnsafeMutablePointer<Self>, pivots: UnsafeMutablePointer<Int32>) -> Int

  /// A⁻¹ in place of getrf's factors of A (LAPACK's getri); `work` holds `workCount` ≥ n
  /// scalars. Returns LAPACK's info.
  static func getri(n: Int, a: UnsafeMutablePointer<Self>, pivots: UnsafePointer<Int32>,
                    work: UnsafeMutablePointer<Self>, workCount: Int) -> Int
}

@inline(__always) func blasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE {
  t ? CblasTrans : CblasNoTrans
}

extension Float: TensorScalar {
  @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
  @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
  @inline(__always) public static func log(onePlus x: Float) -> Float { log1pf(x) }
  @inline(__always) public static func expMinusOne(_ x: Float) -> Float { expm1f(x) }
  @inline(__always) public static func tanh(_ x: Float) -> Float { tanhf(x) }
  @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }

  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLASThreads.splitProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                             a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc) { m, n, a, b, c in
      cblas_sgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB), m, n, Int32(k),
                  alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
  }
}

extension Double: TensorScalar {
  @inline(__always) public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
  @inline(__always) public static func log(_ x: Double) -> Double { Glibc.log(x) }
  @inline(__always) public static func log(onePlus x: Double) -> Double { log1p(x) }
  @inline(__always) public static func expMinusOne(_ x: Double) -> Double { expm1(x) }
  @inline(__always) public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
  @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }

  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    BLASThreads.splitProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                             a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc) { m, n, a, b, c in
      cblas_dgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB), m, n, Int32(k),
                  alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
  }
}
