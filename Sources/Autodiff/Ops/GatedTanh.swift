import TensorCore

extension Variable {
  /// WaveNet's gated activation over the channel axis 1 of [batch, 2C, …]: [batch, C, …].
  ///
  /// ```
  /// (a, b) = channel halves of x,   y = tanh(a) ⊙ sigmoid(b)
  /// ```
  /// One op (`GatedActivation`), its tanh and sigmoid kept for backward. Reference: van den Oord
  /// et al. 2016 (WaveNet), §2.3; Prenger et al. 2019 (WaveGlow) use it in every WN layer.
  public func gatedTanh() -> Variable {
    precondition(shape.rank >= 2 && shape[1] % 2 == 0, "gatedTanh needs an even channel axis 1, got \(shape)")
    var out = shape
    out[1] /= 2
    let saved = tape.arena.allocate(shape.count)
    let (y, pointer) = tape.record(GatedTanhRule.self, shape: out, inputs: self, saved: saved)
    GatedActivation.forward(value.baseAddress!, saved: saved, into: pointer, outer: shape[0],
                            half: out.count / max(shape[0], 1))
    return y
  }
}

enum GatedTanhRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    guard let (dx, overwrite) = tape.gradientForWriting(of: node.input(0)) else { return }
    let outer = node.shape[0]
    GatedActivation.backward(saved: node.saved!, upstream: node.upstream, into: dx, outer: outer,
                             half: node.shape.count / max(outer, 1), overwrite: overwrite)
  }
}
