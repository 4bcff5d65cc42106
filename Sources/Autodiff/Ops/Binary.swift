import TensorCore

extension Tape {
  /// `a + b` with NumPy broadcasting; the result has shape `Shape.broadcast(a.shape, b.shape)`.
  public func add(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { binary(.add, a, b) }

  /// `a − b` with NumPy broadcasting.
  public func subtract(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { binary(.subtract, a, b) }

  /// `a · b` element-wise with NumPy broadcasting.
  public func multiply(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { binary(.multiply, a, b) }

  /// `a / b` element-wise with NumPy broadcasting.
  public func divide(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> { binary(.divide, a, b) }

  private func binary(_ op: BinaryOperator, _ a: Variable<S>, _ b: Variable<S>) -> Variable<S> {
    precondition(a.tape === self && b.tape === self, "operands recorded on another tape")
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      preconditionFailure("\(op) cannot broadcast \(a.shape) with \(b.shape)")
    }
    var attributes = OpAttributes()
    attributes[0] = op.rawValue
    let (y, out) = record(BinaryRule.self, shape: shape, inputs: a, b, attributes: attributes)
    Broadcast.apply(op, a.value.baseAddress!, a.shape, b.value.baseAddress!, b.shape,
                    into: out, shape: shape)
    return y
  }
}

/// Operators with broadcasting. A scalar operand becomes a rank-0 constant that broadcasts
/// (`x * c` is `scaled(by:)`); these are composites of the primitives above.
extension Variable {
  public static func + (a: Variable, b: Variable) -> Variable { a.tape.add(a, b) }
  public static func - (a: Variable, b: Variable) -> Variable { a.tape.subtract(a, b) }
  public static func * (a: Variable, b: Variable) -> Variable { a.tape.multiply(a, b) }
  public static func / (a: Variable, b: Variable) -> Variable { a.tape.divide(a, b) }

  public static func + (a: Variable, c: S) -> Variable { a + a.scalarConstant(c) }
  public static func + (c: S, a: Variable) -> Variable { a.scalarConstant(c) + a }
  public static func - (a: Variable, c: S) -> Variable { a - a.scalarConstant(c) }
  public static func - (c: S, a: Variable) -> Variable { a.scalarConstant(c) - a }
  public static func * (a: Variable, c: S) -> Variable { a.scaled(by: c) }
  public static func * (c: S, a: Variable) -> Variable { a.scaled(by: c) }
  public static func / (a: Variable, c: S) -> Variable { a / a.scalarConstant(c) }
  public static func / (c: S, a: Variable) -> Variable { a.scalarConstant(c) / a }

  public static prefix func - (a: Variable) -> Variable { a.negated() }

  /// `−x`, as `scaled(by: −1)`.
  public func negated() -> Variable { scaled(by: -1) }

  /// A constant of shape [] on this variable's tape.
  private func scalarConstant(_ c: S) -> Variable { tape.constant(c, shape: Shape(rank: 0, repeating: 0)) }
}

enum BinaryRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    accumulate(node, withRespectTo: .left, on: tape)
    accumulate(node, withRespectTo: .right, on: tape)
  }

  private static func accumulate<S: TensorScalar>(
    _ node: Node<S>, withRespectTo side: Operand, on tape: Tape<S>
  ) {
    let a = node.input(0), b = node.input(1)
    let op = BinaryOperator(rawValue: node.attributes[0])!
    if tape.shape(of: a) == node.shape && tape.shape(of: b) == node.shape {
      guard let (d, overwrite) = tape.gradientForWriting(of: side == .left ? a : b) else { return }
      Broadcast.gradientOfEqualShapes(op, withRespectTo: side, upstream: node.upstream, output: node.value,
                                      tape.value(of: a), tape.value(of: b), count: node.shape.count,
                                      into: d, overwrite: overwrite)
      return
    }
    guard let d = tape.gradient(of: side == .left ? a : b) else { return }
    Broadcast.accumulateGradient(
      op, withRespectTo: side, upstream: node.upstream,
      output: node.value, tape.value(of: a), tape.shape(of: a), tape.value(of: b),
      tape.shape(of: b), shape: node.shape, into: d)
  }
}
