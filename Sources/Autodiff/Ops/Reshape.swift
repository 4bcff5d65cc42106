import TensorCore

extension Tape {
  /// The same scalars in row-major order under a new shape of the same count; one dimension
  /// may be −1 and is then inferred.
  public func reshaped(_ x: Variable<S>, to shape: Shape) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    let target = shape.inferringWildcard(count: x.shape.count)
    precondition(target.count == x.shape.count, "cannot reshape \(x.shape) to \(shape)")
    let (y, out) = record(ReshapeRule.self, shape: target, inputs: x)
    out.update(from: x.value.baseAddress!, count: target.count)
    return y
  }
}

extension Variable {
  public func reshaped(to shape: Shape) -> Variable { tape.reshaped(self, to: shape) }
}

extension Shape {
  /// This shape with a single −1 replaced by whatever makes the element count `count`.
  func inferringWildcard(count: Int) -> Shape {
    var wildcard = -1, known = 1
    for i in 0..<rank {
      if self[i] == -1 {
        precondition(wildcard < 0, "more than one −1 in \(self)")
        wildcard = i
      } else {
        known *= self[i]
      }
    }
    guard wildcard >= 0 else { return self }
    precondition(known > 0 && count % known == 0, "cannot infer the −1 of \(self) for \(count) scalars")
    return replacing(axis: wildcard, with: count / known)
  }
}

enum ReshapeRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    guard let dx = tape.gradient(of: node.input(0)) else { return }
    Elementwise.add(node.upstream, into: dx, count: node.shape.count)
  }
}
