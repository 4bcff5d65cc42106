import TensorCore

extension Tape {
  /// `y = f(x)` element-wise; `parameter` is ELU's alpha or the power's exponent (see
  /// `UnaryFunction`). The result has x's shape.
  public func apply(_ f: UnaryFunction, to x: Variable<S>, parameter: S = 0) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    var attributes = OpAttributes()
    attributes[0] = f.rawValue
    attributes.constant = Double(parameter)
    let (y, out) = record(UnaryRule.self, shape: x.shape, inputs: x, attributes: attributes)
    Elementwise.apply(f, parameter: parameter, x.value.baseAddress!, into: out, count: x.shape.count)
    return y
  }
}

/// Element-wise functions; each is `Tape.apply(_:to:parameter:)`.
extension Variable {
  public func exp() -> Variable { tape.apply(.exp, to: self) }
  public func log() -> Variable { tape.apply(.log, to: self) }
  public func sqrt() -> Variable { tape.apply(.sqrt, to: self) }
  public func square() -> Variable { tape.apply(.square, to: self) }
  /// `log(1 + eˣ)`, stable for any x.
  public func softplus() -> Variable { tape.apply(.softplus, to: self) }
  public func sigmoid() -> Variable { tape.apply(.sigmoid, to: self) }
  /// `log σ(x) = −softplus(−x)`, stable for any x.
  public func logSigmoid() -> Variable { tape.apply(.logSigmoid, to: self) }
  public func tanh() -> Variable { tape.apply(.tanh, to: self) }
  public func relu() -> Variable { tape.apply(.relu, to: self) }
  /// `x` for x > 0, `alpha · (eˣ − 1)` otherwise.
  public func elu(alpha: S = 1) -> Variable { tape.apply(.elu, to: self, parameter: alpha) }
  /// `|x|`; its derivative at 0 is taken as 0.
  public func abs() -> Variable { tape.apply(.abs, to: self) }
  /// `x^p` for a constant exponent p.
  public func pow(_ exponent: S) -> Variable { tape.apply(.power, to: self, parameter: exponent) }
}

enum UnaryRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let (dx, overwrite) = tape.gradientForWriting(of: x) else { return }
    Elementwise.accumulateDerivative(
      of: UnaryFunction(rawValue: node.attributes[0])!, parameter: S(node.attributes.constant),
      input: tape.value(of: x), output: node.value, upstream: node.upstream, into: dx,
      count: node.shape.count, overwrite: overwrite)
  }
}
