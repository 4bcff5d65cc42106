import TensorCore

extension Tape {
  /// The product of each pair of matrices, `op(a[i]) · op(b[i])`: [batch, m, n].
  ///
  /// `a` is [batch, m, k], or [batch, k, m] when `transposeA`; `b` is [batch, k, n], or
  /// [batch, n, k] when `transposeB`.
  public func batchedMatmul(_ a: Variable<S>, _ b: Variable<S>, transposeA: Bool = false,
                            transposeB: Bool = false) -> Variable<S> {
    precondition(a.shape.rank == 3 && b.shape.rank == 3,
                 "batchedMatmul takes rank-3 operands [batch, rows, columns], got \(a.shape) and \(b.shape)")
    return recordMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
  }
}

extension Variable {
  /// `op(self[i]) · op(other[i])` for each i, self playing `a`; see `Tape.batchedMatmul`.
  public func batchedMatmul(_ other: Variable, transposeA: Bool = false,
                            transposeB: Bool = false) -> Variable {
    tape.batchedMatmul(self, other, transposeA: transposeA, transposeB: transposeB)
  }
}
