/// An exponential moving average of the parameters, kept in a flat shadow buffer.
///
/// ```
/// d ← min(decay, (1 + t) / (10 + t))      t = updates applied before this one
/// shadow ← d · shadow + (1 − d) · θ
/// ```
/// The shadow starts as a copy of the parameters, so no bias correction is needed; the warmup
/// on `d` keeps the early average from being dominated by the random initialization (the form
/// of TensorFlow's `ExponentialMovingAverage` with `num_updates`). Create it after the initial
/// parameters are broadcast so every rank starts from the same shadow.
public final class ExponentialMovingAverage {
  public let decay: Double
  /// Number of updates applied so far.
  public private(set) var updateCount = 0
  /// [parameterCount], same layout as `ParameterStore.values`.
  public private(set) var shadow: [Float]

  /// - Parameter parameters: [parameterCount] initial values, copied into the shadow.
  public init(copying parameters: UnsafeBufferPointer<Float>, decay: Double) {
    precondition((0..<1).contains(decay), "EMA decay \(decay) must be in [0, 1)")
    self.decay = decay
    shadow = Array(parameters)
  }

  /// The weight of the old shadow in the next update.
  public var currentDecay: Double {
    let t = Double(updateCount)
    return Swift.min(decay, (1 + t) / (10 + t))
  }

  /// Blends the current parameters into the shadow.
  /// - Parameter parameters: [parameterCount]
  public func update(from parameters: UnsafeBufferPointer<Float>) {
    precondition(parameters.count == shadow.count,
                 "EMA holds \(shadow.count) parameters, got \(parameters.count)")
    let d = Float(currentDecay), c = Float(1 - currentDecay)
    shadow.withUnsafeMutableBufferPointer { s in
      for i in 0..<s.count { s[i] = d * s[i] + c * parameters[i] }
    }
    updateCount += 1
  }

  /// Writes the averaged parameters into `parameters`, e.g. a copy of the store used for evaluation.
  /// - Parameter parameters: [parameterCount]
  public func copyShadow(into parameters: UnsafeMutableBufferPointer<Float>) {
    precondition(parameters.count == shadow.count,
                 "EMA holds \(shadow.count) parameters, got \(parameters.count)")
    _ = parameters.update(fromContentsOf: shadow)
  }

  /// Replaces the shadow and the counter with values saved in a checkpoint.
  public func restore(shadow: [Float], updateCount: Int) throws(OptimizerStateError) {
    guard shadow.count == self.shadow.count else {
      throw OptimizerStateError(
        "EMA state holds \(shadow.count) values but the model has \(self.shadow.count) "
          + "parameters; the checkpoint belongs to a different model")
    }
    guard updateCount >= 0 else { throw OptimizerStateError("EMA update count \(updateCount) is negative") }
    self.shadow = shadow
    self.updateCount = updateCount
  }
}
