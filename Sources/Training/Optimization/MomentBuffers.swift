/// What Adam and Adamax share: the hyperparameters, the step counter and two moment buffers over
/// the flat parameter layout, with their export to and import from `OptimizerState`.
struct MomentBuffers {
  let beta1: Double
  let beta2: Double
  let epsilon: Double
  let weightDecay: Double
  /// Number of updates applied so far.
  var stepCount = 0
  /// [parameterCount] first moments.
  var first: [Float]
  /// [parameterCount] second moments (Adam) or infinity norms (Adamax).
  var second: [Float]

  init(parameterCount: Int, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double) {
    precondition(parameterCount >= 0, "parameterCount \(parameterCount) < 0")
    precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "betas must be in [0, 1)")
    precondition(epsilon > 0 && weightDecay >= 0, "epsilon must be > 0 and weightDecay >= 0")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    first = Array(repeating: 0, count: parameterCount)
    second = Array(repeating: 0, count: parameterCount)
  }

  /// Counts one more update after checking the store's layout; returns the new step number t.
  mutating func beginStep(parameterCount: Int, _ kind: OptimizerKind) -> Double {
    precondition(parameterCount == first.count,
                 "\(kind.rawValue) built for \(first.count) parameters, store has \(parameterCount)")
    stepCount += 1
    return Double(stepCount)
  }

  /// Runs `body` over both moment buffers at once.
  mutating func withMoments(
    _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void
  ) {
    first.withUnsafeMutableBufferPointer { m in second.withUnsafeMutableBufferPointer { body(m, $0) } }
  }

  func state(_ kind: OptimizerKind) -> OptimizerState {
    OptimizerState(kind: kind, stepCount: stepCount, m: first, v: second)
  }

  mutating func restore(_ state: OptimizerState, _ kind: OptimizerKind) throws(OptimizerStateError) {
    try state.validate(for: kind, parameterCount: first.count)
    stepCount = state.stepCount
    first = state.m
    second = state.v
  }
}
