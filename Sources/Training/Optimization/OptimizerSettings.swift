import Configuration
/// The optimizer a run asked for, read from its config section:
/// ```yaml
/// optimizer: adam       # adam (default) or adamax
/// beta1: 0.9
/// beta2: 0.999
/// epsilon: 1e-8
/// weight_decay: 0       # decoupled (AdamW-style)
/// ```
public struct OptimizerSettings: Equatable, Sendable {
  public var kind: OptimizerKind
  public var beta1: Double
  public var beta2: Double
  public var epsilon: Double
  public var weightDecay: Double

  public init(kind: OptimizerKind = .adam, beta1: Double = 0.9, beta2: Double = 0.999,
              epsilon: Double = 1e-8, weightDecay: Double = 0) {
    self.kind = kind
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  public init(config section: ConfigSection) throws(ConfigError) {
    let defaults = OptimizerSettings()
    kind = try section.choice("optimizer", of: OptimizerKind.self, default: defaults.kind)
    beta1 = try section.double("beta1", default: defaults.beta1)
    beta2 = try section.double("beta2", default: defaults.beta2)
    epsilon = try section.double("epsilon", default: defaults.epsilon)
    weightDecay = try section.double("weight_decay", default: defaults.weightDecay)
    try section.check((0..<1).contains(beta1), "beta1", "must be in [0, 1)")
    try section.check((0..<1).contains(beta2), "beta2", "must be in [0, 1)")
    try section.check(epsilon > 0, "epsilon", "must be > 0")
    try section.check(weightDecay >= 0, "weight_decay", "must be >= 0")
  }

  /// A fresh optimizer with zero moments over `parameterCount` parameters.
  public func makeOptimizer(parameterCount: Int) -> any Optimizer {
    switch kind {
    case .adam:
      return Adam(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay)
    case .adamax:
      return Adamax(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon,
                    weightDecay: weightDecay)
    }
  }
}
