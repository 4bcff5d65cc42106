import TensorCore

extension Tape {
  /// `x` with its axes reordered: output axis i is input axis `permutation[i]` (NumPy's
  /// `transpose(axes)`); rank ≤ 6.
  public func transposed(_ x: Variable<S>, _ permutation: [Int]) -> Variable<S> {
    precondition(permutation.count <= Shape.maxRank, "permutation \(permutation) exceeds rank 6")
    var axes = Shape(rank: permutation.count, repeating: 0)
    for i in 0..<permutation.count { axes[i] = permutation[i] }
    return transposed(x, axes: axes)
  }

  /// The permutation written as a `Shape` of axis indices.
  func transposed(_ x: Variable<S>, axes: Shape) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    var attributes = OpAttributes()
    attributes.shape = axes
    let (y, out) = record(TransposeRule.self, shape: Permute.permuted(x.shape, by: axes), inputs: x,
                          attributes: attributes)
    Permute.apply(x.value.baseAddress!, shape: x.shape, permutation: axes, into: out)
    return y
  }
}

extension Variable {
  public func transposed(_ permutation: [Int]) -> Variable { tape.transposed(self, permutation) }

  /// The last two axes swapped (the matrix transpose for rank 2).
  public func transposed() -> Variable {
    let r = shape.rank
    precondition(r >= 2, "transposed() needs rank ≥ 2, got \(shape)")
    var axes = Shape(rank: r, repeating: 0)
    for i in 0..<r { axes[i] = i }
    axes[r - 2] = r - 1
    axes[r - 1] = r - 2
    return tape.transposed(self, axes: axes)
  }
}

enum TransposeRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    Permute.accumulateInverse(node.upstream, shape: tape.shape(of: x),
                              permutation: node.attributes.shape, into: dx)
  }
}
