/// Sizes of a batched matrix product `C[i] = op(A[i]) · op(B[i])` for i in 0..<batch, where op(A) is
/// [m, k], op(B) is [k, n] and C is [m, n]. A is stored [m, k], or [k, m] when `transposeA`;
/// B is stored [k, n], or [n, k] when `transposeB`. Every matrix is row-major and contiguous.
public struct MatmulDimensions: Hashable, Sendable {
  public let batch: Int
  public let m: Int
  public let n: Int
  public let k: Int
  public let transposeA: Bool
  public let transposeB: Bool

  public init(batch: Int = 1, m: Int, n: Int, k: Int, transposeA: Bool = false,
              transposeB: Bool = false) {
    precondition(batch >= 0 && m >= 0 && n >= 0 && k >= 0,
                 "matmul sizes must be non-negative, got batch \(batch), m \(m), n \(n), k \(k)")
    self.batch = batch
    self.m = m
    self.n = n
    self.k = k
    self.transposeA = transposeA
    self.transposeB = transposeB
  }

  /// From stored shapes: both rank 2 ([rows, columns]) or both rank 3 ([batch, rows, columns]).
  public init(a: Shape, b: Shape, transposeA: Bool, transposeB: Bool) {
    precondition(a.rank == b.rank && (a.rank == 2 || a.rank == 3),
                 "matmul needs two rank-2 or two rank-3 operands, got \(a) and \(b)")
    let r = a.rank
    let batch = r == 3 ? a[0] : 1
    precondition(r == 2 || b[0] == batch, "batch sizes differ: \(a) and \(b)")
    let (m, ka) = transposeA ? (a[r - 1], a[r - 2]) : (a[r - 2], a[r - 1])
    let (kb, n) = transposeB ? (b[r - 1], b[r - 2]) : (b[r - 2], b[r - 1])
    precondition(ka == kb, "inner sizes differ: op(a) of \(a) has \(ka) columns, op(b) of \(b) has \(kb) rows"
                   + " (transposeA \(transposeA), transposeB \(transposeB))")
    self.init(batch: batch, m: m, n: n, k: ka, transposeA: transposeA, transposeB: transposeB)
  }

  /// [m, n] for rank 2, [batch, m, n] for rank 3.
  public func outputShape(rank: Int) -> Shape { rank == 3 ? [batch, m, n] : [m, n] }

  /// Row stride of A and of B as stored.
  public var lda: Int { transposeA ? m : k }
  public var ldb: Int { transposeB ? k : n }

  /// 2·m·n·k per product.
  public var flops: Double { 2 * Double(batch) * Double(m) * Double(n) * Double(k) }

  /// BLAS rejects leading dimensions of 0, so empty products are handled before calling it.
  var isEmpty: Bool { batch == 0 || m == 0 || n == 0 || k == 0 }
}

/// Batched matrix products through BLAS GEMM, and their gradients.
public enum Matmul {
  /// `c[i] = op(a[i]) · op(b[i]) + beta · c[i]`; a [batch, …], b [batch, …], c [batch, m, n].
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func forward<S: TensorScalar>(
    _ d: MatmulDimensions, a: UnsafePointer<S>, b: UnsafePointer<S>,
    into c: UnsafeMutablePointer<S>, beta: S = 0
  ) {
    if d.isEmpty {
      // A sum over k = 0 terms is zero: only the beta · c part remains.
      let count = d.batch * d.m * d.n
      for j in 0..<count { c[j] = beta == 0 ? 0 : beta * c[j] }
      return
    }
    for i in 0..<d.batch {
      S.gemm(transposeA: d.transposeA, transposeB: d.transposeB, m: d.m, n: d.n, k: d.k,
             alpha: 1, a: a + i * d.m * d.k, lda: d.lda, b: b + i * d.k * d.n, ldb: d.ldb,
             beta: beta, c: c + i * d.m * d.n, ldc: d.n)
    }
  }

  /// `dA += ∂<dC, C>/∂A` in A's stored layout: dC · op(B)ᵀ, or its transpose when `transposeA`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateGradientA<S: TensorScalar>(
    _ d: MatmulDimensions, dC: UnsafePointer<S>, b: UnsafePointer<S>,
    into dA: UnsafeMutablePointer<S>
  ) {
    if d.isEmpty { return }
    for i in 0..<d.batch {
      let dCi = dC + i * d.m * d.n, bi = b + i * d.k * d.n, dAi = dA + i * d.m * d.k
      if d.transposeA {
        // dA [k, m] += op(B) [k, n] · dCᵀ [n, m]
        S.gemm(transposeA: d.transposeB, transposeB: true, m: d.k, n: d.m, k: d.n,
               alpha: 1, a: bi, lda: d.ldb, b: dCi, ldb: d.n, beta: 1, c: dAi, ldc: d.m)
      } else {
        // dA [m, k] += dC [m, n] · op(B)ᵀ [n, k]
        S.gemm(transposeA: false, transposeB: !d.transposeB, m: d.m, n: d.k, k: d.n,
               alpha: 1, a: dCi, lda: d.n, b: bi, ldb: d.ldb, beta: 1, c: dAi, ldc: d.k)
      }
    }
  }

  /// `dB += ∂<dC, C>/∂B` in B's stored layout: op(A)ᵀ · dC, or its transpose when `transposeB`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateGradientB<S: TensorScalar>(
    _ d: MatmulDimensions, dC: UnsafePointer<S>, a: UnsafePointer<S>,
    into dB: UnsafeMutablePointer<S>
  ) {
    if d.isEmpty { return }
    for i in 0..<d.batch {
      let dCi = dC + i * d.m * d.n, ai = a + i * d.m * d.k, dBi = dB + i * d.k * d.n
      if d.transposeB {
        // dB [n, k] += dCᵀ [n, m] · op(A) [m, k]
        S.gemm(transposeA: true, transposeB: d.transposeA, m: d.n, n: d.k, k: d.m,
               alpha: 1, a: dCi, lda: d.n, b: ai, ldb: d.lda, beta: 1, c: dBi, ldc: d.k)
      } else {
        // dB [k, n] += op(A)ᵀ [k, m] · dC [m, n]
        S.gemm(transposeA: !d.transposeA, transposeB: false, m: d.k, n: d.n, k: d.m,
               alpha: 1, a: ai, lda: d.lda, b: dCi, ldb: d.n, beta: 1, c: dBi, ldc: d.n)
      }
    }
  }
}
