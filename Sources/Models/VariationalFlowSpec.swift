import Configuration
import Flows

/// The flow families `laminar vi` can fit; both sample in one pass.
public enum VariationalFlowFamily: String, Sendable, CaseIterable {
  /// x = z + û·tanh(wᵀz + b) per layer; q(x) has no closed form in x, only along samples.
  /// Reference: Rezende & Mohamed 2015.
  case planar
  /// Inverse autoregressive flow: one-pass sampling, and q(x) at any x by D sequential passes.
  /// Reference: Kingma et al. 2016.
  case iaf
}

/// The `flow` section of a VI config: a stack of generative layers over N(0, I) in 2-D.
///
/// ```yaml
/// flow:
///   family: planar        # planar | iaf
///   layers: 32
///   # iaf only:
///   hidden: [32, 32]      # MADE hidden widths
///   activation: relu      # relu | tanh | elu
///   log_scale_bound: 3    # α = B·tanh(a/B) per layer
/// ```
public struct VariationalFlowSpec: Sendable, Equatable {
  public var family: VariationalFlowFamily
  public var layers: Int
  /// MADE hidden widths (IAF only).
  public var hidden: [Int]
  public var activation: Activation
  public var logScaleBound: Double

  public init(family: VariationalFlowFamily, layers: Int, hidden: [Int] = [32, 32],
              activation: Activation = .relu, logScaleBound: Double = 3) {
    precondition(layers > 0, "a flow needs at least one layer, got \(layers)")
    self.family = family
    self.layers = layers
    self.hidden = hidden
    self.activation = activation
    self.logScaleBound = logScaleBound
  }

  public init(config section: ConfigSection) throws(ConfigError) {
    family = try section.choice("family", of: VariationalFlowFamily.self)
    layers = try section.int("layers", default: family == .planar ? 32 : 4)
    try section.check(layers > 0, "layers", "must be > 0")
    // Planar layers have no network: reading these keys only for IAF makes them unknown
    // (and rejected) in a planar config instead of silently ignored.
    switch family {
    case .planar:
      hidden = []
      activation = .relu
      logScaleBound = 3
    case .iaf:
      hidden = try section.ints("hidden", default: [32, 32])
      activation = try section.choice("activation", of: Activation.self, default: .relu)
      logScaleBound = try section.double("log_scale_bound", default: 3)
      try section.check(!hidden.isEmpty && hidden.allSatisfy { $0 > 0 }, "hidden",
                        "must list positive widths, e.g. [32, 32]")
      try ParameterBudget.checkMLP(section, hidden: hidden, layers: layers)
      try section.check(logScaleBound > 0, "log_scale_bound", "must be > 0")
    }
  }
}
