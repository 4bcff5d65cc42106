import TensorCore

extension Tape {
  /// `y = c * x` for a constant c.
  public func scaled(_ x: Variable<S>, by c: S) -> Variable<S> {
    var attributes = OpAttributes()
    attributes.constant = Double(c)
    let (y, out) = record(ScaleRule.self, shape: x.shape, inputs: x, attributes: attributes)
    Elementwise.scale(x.value.baseAddress!, by: c, into: out, count: x.shape.count)
    return y
  }
}

extension Variable {
  public func scaled(by c: S) -> Variable { tape.scaled(self, by: c) }
}

enum ScaleRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    guard let dx = tape.gradient(of: node.input(0)) else { return }
    Elementwise.addScaled(node.upstream, by: S(node.attributes.constant), into: dx,
                          count: node.shape.count)
  }
}
