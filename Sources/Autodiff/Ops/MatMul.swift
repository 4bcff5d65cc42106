import TensorCore

extension Tape {
  /// The matrix product `op(a) · op(b)`: [m, n].
  ///
  /// `a` is [m, k], or [k, m] when `transposeA`; `b` is [k, n], or [n, k] when `transposeB`.
  public func matmul(_ a: Variable<S>, _ b: Variable<S>, transposeA: Bool = false,
                     transposeB: Bool = false) -> Variable<S> {
    precondition(a.shape.rank == 2 && b.shape.rank == 2,
                 "matmul takes rank-2 operands, got \(a.shape) and \(b.shape); "
                   + "use batchedMatmul for [batch, rows, columns]")
    return recordMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
  }

  /// Records a (batched) product; the operands' ranks (2 or 3) decide which.
  func recordMatmul(_ a: Variable<S>, _ b: Variable<S>, transposeA: Bool,
                    transposeB: Bool) -> Variable<S> {
    let d = MatmulDimensions(a: a.shape, b: b.shape, transposeA: transposeA, transposeB: transposeB)
    var attributes = OpAttributes()
    attributes[0] = transposeA ? 1 : 0
    attributes[1] = transposeB ? 1 : 0
    let (c, out) = record(MatMulRule.self, shape: d.outputShape(rank: a.shape.rank), inputs: a, b,
                          attributes: attributes)
    Matmul.forward(d, a: value(of: a.id), b: value(of: b.id), into: out)
    countForwardFLOPs(d.flops)
    return c
  }
}

extension Variable {
  /// `op(self) · op(other)`, self playing `a`; see `Tape.matmul`.
  public func matmul(_ other: Variable, transposeA: Bool = false,
                     transposeB: Bool = false) -> Variable {
    tape.matmul(self, other, transposeA: transposeA, transposeB: transposeB)
  }
}

/// Backward of `matmul` and `batchedMatmul`: dA += dC · op(B)ᵀ, dB += op(A)ᵀ · dC, each in its
/// operand's stored layout. Works when both operands are the same variable (both terms add).
enum MatMulRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let a = node.input(0), b = node.input(1)
    let d = MatmulDimensions(a: tape.shape(of: a), b: tape.shape(of: b),
                             transposeA: node.attributes[0] != 0, transposeB: node.attributes[1] != 0)
    if let dA = tape.gradient(of: a) {
      Matmul.accumulateGradientA(d, dC: node.upstream, b: tape.value(of: b), into: dA)
    }
    if let dB = tape.gradient(of: b) {
      Matmul.accumulateGradientB(d, dC: node.upstream, a: tape.value(of: a), into: dB)
    }
  }
}
