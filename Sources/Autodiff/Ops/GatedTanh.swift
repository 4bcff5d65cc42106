import TensorCore

extension Variable {
  /// WaveNet's gated activation over the channel axis 1 of [batch, 2C, …]: [batch, C, …].
  ///
  /// ```
  /// (a, b) = channel halves of x,   y = tanh(a) ⊙ sigmoid(b)
  /// ```
  /// A composite of primitives, so its gradient is theirs. Reference: van den Oord et al. 2016
  /// (WaveNet), §2.3; Prenger et al. 2019 (WaveGlow) use it in every WN layer.
  public func gatedTanh() -> Variable {
    precondition(shape.rank >= 2 && shape[1] % 2 == 0, "gatedTanh needs an even channel axis 1, got \(shape)")
    let (a, b) = split(alongAxis: 1, at: shape[1] / 2)
    return a.tanh() * b.sigmoid()
  }
}
