import TensorCore

extension Tape {
  /// The sum of every element, as a scalar of shape [].
  public func sum(_ x: Variable<S>) -> Variable<S> {
    let (y, out) = record(SumAllRule.self, shape: [], inputs: x)
    out.pointee = Elementwise.sum(x.value.baseAddress!, count: x.shape.count)
    return y
  }
}

extension Variable {
  public func sum() -> Variable { tape.sum(self) }
}

enum SumAllRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let id = node.input(0)
    guard let dx = tape.gradient(of: id) else { return }
    let g = node.upstream.pointee
    let n = tape.shape(of: id).count
    for i in 0..<n { dx[i] += g }
  }
}
