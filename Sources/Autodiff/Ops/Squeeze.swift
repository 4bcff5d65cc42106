import TensorCore

extension Tape {
  /// Space-to-depth: [N, C, H, W] → [N, C·f², H/f, W/f] in Glow's channel order
  /// (`SpaceToDepth`): output channel c·f² + dy·f + dx holds x[n, c, f·i + dy, f·j + dx].
  /// Reference: Dinh et al. 2017 (RealNVP), Kingma & Dhariwal 2018 (Glow).
  public func squeezed(_ x: Variable<S>, factor: Int = 2) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    var attributes = OpAttributes()
    attributes[0] = factor
    let (y, out) = record(SqueezeRule.self, shape: SpaceToDepth.squeezedShape(x.shape, factor: factor),
                          inputs: x, attributes: attributes)
    SpaceToDepth.squeeze(x.value.baseAddress!, shape: x.shape, factor: factor, into: out)
    return y
  }

  /// Depth-to-space, the inverse of `squeezed`: [N, C, H, W] → [N, C/f², H·f, W·f].
  public func unsqueezed(_ x: Variable<S>, factor: Int = 2) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    var attributes = OpAttributes()
    attributes[0] = factor
    let (y, out) = record(UnsqueezeRule.self,
                          shape: SpaceToDepth.unsqueezedShape(x.shape, factor: factor),
                          inputs: x, attributes: attributes)
    SpaceToDepth.unsqueeze(x.value.baseAddress!, shape: x.shape, factor: factor, into: out)
    return y
  }
}

extension Variable {
  public func squeezed(factor: Int = 2) -> Variable { tape.squeezed(self, factor: factor) }
  public func unsqueezed(factor: Int = 2) -> Variable { tape.unsqueezed(self, factor: factor) }
}

enum SqueezeRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    SpaceToDepth.accumulateSqueezeGradient(node.upstream, shape: tape.shape(of: x),
                                           factor: node.attributes[0], into: dx)
  }
}

enum UnsqueezeRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    SpaceToDepth.accumulateUnsqueezeGradient(node.upstream, shape: tape.shape(of: x),
                                             factor: node.attributes[0], into: dx)
  }
}
