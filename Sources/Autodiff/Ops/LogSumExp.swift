import TensorCore

extension Tape {
  /// `log Σ exp(x)` along `axis`, shifted by the maximum so it stays finite for large inputs.
  /// Its gradient is the softmax along the axis. The result drops the axis, or keeps it with
  /// size 1 when `keepingDimensions`. Saves the per-slice maximum and 1/Σexp for the gradient.
  public func logSumExp(_ x: Variable<S>, alongAxis axis: Int, keepingDimensions: Bool = false)
    -> Variable<S>
  {
    precondition(x.tape === self, "operand recorded on another tape")
    let a = x.shape.axis(axis)
    var attributes = OpAttributes()
    attributes[0] = a
    let shape = x.shape.reducing(mask: 1 << a, keepingDimensions: keepingDimensions)
    // [2, shape.count]: the maxima, then the inverse sums.
    let saved = arena.allocate(2 * shape.count)
    let (y, out) = record(LogSumExpRule.self, shape: shape, inputs: x, attributes: attributes,
                          saved: saved)
    Reduction.logSumExp(x.value.baseAddress!, outer: x.shape.outerCount(before: a),
                        count: x.shape[a], inner: x.shape.innerCount(after: a), into: out,
                        maxima: saved, inverseSums: saved + shape.count)
    return y
  }
}

extension Variable {
  public func logSumExp(alongAxis axis: Int, keepingDimensions: Bool = false) -> Variable {
    tape.logSumExp(self, alongAxis: axis, keepingDimensions: keepingDimensions)
  }
}

enum LogSumExpRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    let shape = tape.shape(of: x), a = node.attributes[0]
    Reduction.accumulateLogSumExpGradient(
      upstream: node.upstream, input: tape.value(of: x), maxima: node.saved!,
      inverseSums: node.saved! + node.shape.count, outer: shape.outerCount(before: a), count: shape[a], inner: shape.innerCount(after: a),
      into: dx)
  }
}
