import Autodiff
import TensorCore

extension Variable {
  /// log|det A| of a square matrix [n, n], shape []; computed by LU in Float64 whatever S is.
  ///
  /// ```
  /// ∂ log|det A| / ∂A = A⁻ᵀ
  /// ```
  /// The backward rule inverts A (again in Float64) rather than keeping the LU factors alive.
  public func logAbsDeterminant() -> Variable {
    let n = squareOrder("logAbsDeterminant")
    let (y, out) = tape.record(LogAbsDeterminantRule.self, shape: [], inputs: self)
    out.pointee = S(tape.arena.float64LogAbsDeterminant(of: value.baseAddress!, n: n))
    return y
  }

  /// The inverse A⁻¹ of a square matrix [n, n], by LU in Float64 whatever S is.
  ///
  /// ```
  /// dA = −A⁻ᵀ · dY · A⁻ᵀ
  /// ```
  public func matrixInverse() -> Variable {
    let n = squareOrder("matrixInverse")
    let (y, out) = tape.record(MatrixInverseRule.self, shape: shape, inputs: self)
    tape.arena.withFloat64Inverse(of: value.baseAddress!, n: n) { Float64Copy.narrow($0, count: n * n, into: out) }
    return y
  }

  private func squareOrder(_ op: String) -> Int {
    precondition(shape.rank == 2 && shape[0] == shape[1], "\(op) needs a square matrix, got \(shape)")
    return shape[0]
  }
}

enum LogAbsDeterminantRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    let n = tape.shape(of: x)[0]
    tape.arena.withFloat64Inverse(of: tape.value(of: x), n: n) {
      Float64Copy.addTransposed($0, n: n, scale: Double(node.upstream.pointee), into: dx)
    }
  }
}

enum MatrixInverseRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    let n = node.shape[0]
    // t = Yᵀ · dY, then dA += −t · Yᵀ, where Y = A⁻¹ is this node's value.
    let t = tape.arena.allocate(n * n)
    S.gemm(transposeA: true, transposeB: false, m: n, n: n, k: n, alpha: 1, a: node.value, lda: n,
           b: node.upstream, ldb: n, beta: 0, c: t, ldc: n)
    S.gemm(transposeA: false, transposeB: true, m: n, n: n, k: n, alpha: -1, a: t, lda: n,
           b: node.value, ldb: n, beta: 1, c: dx, ldc: n)
  }
}
