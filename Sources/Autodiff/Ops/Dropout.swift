import TensorCore

extension Variable {
  /// Inverted dropout over every entry of a [batch, …] value during a training step:
  /// ```
  /// y = x · m / (1 − rate),   m ~ Bernoulli(1 − rate) per entry
  /// ```
  /// The identity when the tape has no `stepNoise` (evaluation, sampling) or `rate` is 0. Each
  /// call is its own site with its own stream, and row n draws at its example's offset, so the
  /// mask does not depend on the number of ranks. A composite: the mask is a constant, the
  /// product the primitive `multiply`. Reference: Srivastava et al. 2014.
  public func dropout(rate: Double) -> Variable {
    precondition(rate >= 0 && rate < 1, "dropout rate \(rate) must be in [0, 1)")
    guard rate > 0, let noise = tape.stepNoise else { return self }
    precondition(noise.examples.count == shape[0],
                 "step noise for \(noise.examples.count) examples, batch of \(shape[0])")
    let site = tape.dropoutSites
    tape.dropoutSites += 1
    let stream = RandomStream(seed: noise.seed, purpose: .dropout, major: site, minor: noise.step)
    let mask = tape.constant(0, shape: shape)
    let m = tape.nodes[Int(mask.id)].value
    let perRow = shape.count / shape[0], keep = S(1 / (1 - rate)), threshold = S(rate)
    for (n, example) in noise.examples.enumerated() {
      let row = UnsafeMutableBufferPointer(start: m + n * perRow, count: perRow)
      stream.fillUniform(row, offset: RandomStream.offset(example: example))
      for j in 0..<perRow { row[j] = row[j] < threshold ? 0 : keep }
    }
    return self * mask
  }
}
