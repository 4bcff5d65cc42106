import Configuration
import Flows

/// The vector flow families a config can name.
public enum VectorFlowFamily: String, Sendable, CaseIterable {
  /// Affine coupling layers with MLP conditioners. Reference: Dinh et al. 2017.
  case realnvp
  /// Additive coupling layers. Reference: Dinh et al. 2015.
  case nice
  /// Masked autoregressive flow: one-pass density, sequential sampling. Reference: Papamakarios et al. 2017.
  case maf
  /// Inverse autoregressive flow: one-pass sampling, sequential density. Reference: Kingma et al. 2016.
  case iaf
}

/// What mixes the dimensions between two layers.
public enum VectorMixing: String, Sendable, CaseIterable {
  /// Nothing beyond the couplings' alternating masks.
  case none
  case reverse
  /// A fixed random permutation per layer.
  case random
  /// An invertible linear map with LU parameterization (Glow's 1×1 convolution for vectors).
  case linear
}

/// The base distribution of a vector flow.
public enum VectorBase: String, Sendable, CaseIterable {
  case standardNormal = "standard_normal"
  case diagonalGaussian = "diagonal_gaussian"
}

/// A vector flow described by the `model` section of a config.
///
/// ```yaml
/// model:
///   family: realnvp          # realnvp | nice | maf | iaf
///   layers: 8
///   hidden: [64, 64]
///   activation: relu         # relu | tanh | elu
///   transform: affine_exp    # couplings: affine_tanh | affine_exp | affine_sigmoid (nice: additive)
///   mixing: none             # none | reverse | random | linear (default: reverse for maf/iaf)
///   actnorm: false           # an actnorm before every layer
///   base: standard_normal    # standard_normal | diagonal_gaussian
///   log_scale_bound: 3       # maf/iaf: α = B·tanh(a/B)
/// ```
public struct VectorFlowSpec: Sendable, Equatable {
  public var family: VectorFlowFamily
  public var layers: Int
  public var hidden: [Int]
  public var activation: Activation
  public var transform: CouplingTransform
  public var mixing: VectorMixing
  public var actnorm: Bool
  public var base: VectorBase
  public var logScaleBound: Double

  public init(config section: ConfigSection) throws(ConfigError) {
    family = try section.choice("family", of: VectorFlowFamily.self)
    layers = try section.int("layers", default: 5)
    hidden = try section.ints("hidden", default: [64, 64])
    activation = try section.choice("activation", of: Activation.self, default: .relu)
    let autoregressive = family == .maf || family == .iaf
    switch family {
    case .nice:
      transform = .additive
    case .realnvp:
      transform = try section.choice("transform", of: CouplingTransform.self, default: .affineTanh)
      try section.check(transform != .additive, "transform",
                        "must be affine_tanh, affine_exp or affine_sigmoid for realnvp (use family: nice for additive)")
    case .maf, .iaf:
      transform = .affineExp
    }
    mixing = try section.choice("mixing", of: VectorMixing.self, default: autoregressive ? .reverse : VectorMixing.none)
    actnorm = try section.bool("actnorm", default: false)
    base = try section.choice("base", of: VectorBase.self, default: .standardNormal)
    logScaleBound = autoregressive ? try section.double("log_scale_bound", default: 3) : 3
    try section.check(layers > 0, "layers", "must be > 0")
    try section.check(!hidden.isEmpty && hidden.allSatisfy { $0 > 0 }, "hidden", "must list positive widths, e.g. [64, 64]")
    try ParameterBudget.checkMLP(section, hidden: hidden, layers: layers)
    try section.check(logScaleBound > 0, "log_scale_bound", "must be > 0")
  }
}
