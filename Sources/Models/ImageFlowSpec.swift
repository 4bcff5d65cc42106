import Configuration
import Flows

/// The image flow families a config can name.
public enum ImageFlowFamily: String, Sendable, CaseIterable {
  /// Multi-scale RealNVP: checkerboard then channel couplings, squeeze, split.
  /// Reference: Dinh et al. 2017.
  case realnvpImage = "realnvp_image"
  /// Glow: squeeze, K × (actnorm → invertible 1×1 conv → coupling), split.
  /// Reference: Kingma & Dhariwal 2018.
  case glow
}

/// A multi-scale image flow described by the `model` section of a config.
///
/// ```yaml
/// model:
///   family: glow                 # glow | realnvp_image
///   levels: 2                    # L: squeezes (glow) / scales (realnvp_image)
///   steps: 4                     # K per level (realnvp_image: couplings per stage; default 3)
///   width: 64                    # hidden channels of the coupling networks
///   transform: affine_sigmoid    # additive | affine_tanh | affine_exp | affine_sigmoid | mixture_logistic
///                                #   (default: affine_sigmoid for glow, affine_tanh for realnvp_image)
///   components: 8                # mixture_logistic only: K logistic components (default 8)
///   conditioner: conv            # conv (Glow's 3×3 → 1×1 → 3×3) | gated_residual (Flow++)
///   blocks: 2                    # gated_residual only: gated residual blocks (default 2)
///   attention_heads: 4           # gated_residual only: self-attention heads per block, 0 = none
///                                #   (default 4; must divide width)
///   dropout: 0.2                 # gated_residual only: dropout in the blocks during training (default 0)
///   mixing: conv1x1_lu           # glow only: reverse | random | conv1x1 | conv1x1_lu
///   actnorm: true                # an actnorm before every coupling (default: glow true, realnvp_image false)
///   prior: standard_normal       # top latent: standard_normal | learned
///   split_prior: conditional     # factored-out channels: standard_normal | learned | conditional
///                                #   (default: conditional for glow, standard_normal for realnvp_image)
/// ```
/// Keys of the other families (`layers`, `hidden`, …) are rejected as unknown.
public struct ImageFlowSpec: Sendable, Equatable {
  public var family: ImageFlowFamily
  public var architecture: MultiScaleArchitecture

  public init(config section: ConfigSection) throws(ConfigError) {
    family = try section.choice("family", of: ImageFlowFamily.self)
    let glow = family == .glow
    let levels = try section.int("levels", default: 2)
    let steps = try section.int("steps", default: glow ? 4 : 3)
    let width = try section.int("width", default: 64)
    let transform = try Self.transform(section, glow: glow)
    let conditioner = try Self.conditioner(section, width: width)
    // RealNVP alternates its masks and takes no mixing layer; the value is then unused.
    let mixing = glow ? try section.choice("mixing", of: ChannelMixing.self, default: .conv1x1LU) : .reverse
    let actnorm = try section.bool("actnorm", default: glow)
    let prior = try section.choice("prior", of: TopPrior.self, default: .standardNormal)
    let splitPrior = try section.choice("split_prior", of: SplitPrior.self,
                                        default: glow ? .conditional : .standardNormal)
    try section.check(levels >= 1, "levels", "must be ≥ 1")
    try section.check(steps >= 1, "steps", "must be ≥ 1")
    try section.check(width >= 1, "width", "must be ≥ 1")
    try ParameterBudget.checkConvolutions(section, width: width, steps: steps, levels: levels)
    architecture = MultiScaleArchitecture(
      style: glow ? .glow : .realnvp, levels: levels, steps: steps, width: width, transform: transform,
      conditioner: conditioner, mixing: mixing, actnorm: actnorm, topPrior: prior, splitPrior: splitPrior)
  }

  /// `transform` (and `components` for the mixture).
  private static func transform(_ section: ConfigSection, glow: Bool) throws(ConfigError) -> ImageCouplingTransform {
    let name = try section.choice("transform", of: ImageTransformName.self,
                                  default: glow ? .affineSigmoid : .affineTanh)
    guard name == .mixtureLogistic else {
      try section.check(try section.value("components", as: Int.self) == nil, "components",
                        "only applies to transform: mixture_logistic; remove it")
      return .affine(CouplingTransform(rawValue: name.rawValue)!)
    }
    let components = try section.int("components", default: 8)
    try section.check(components >= 1 && components <= 64, "components", "must be in 1...64")
    return .mixtureLogistic(components: components)
  }

  /// `conditioner` (and `blocks`, `attention_heads`, `dropout` for the gated residual network).
  private static func conditioner(_ section: ConfigSection, width: Int) throws(ConfigError) -> ConditionerNetwork {
    let kind = try section.choice("conditioner", of: ConditionerName.self, default: .conv)
    guard kind == .gatedResidual else {
      for key in ["blocks", "attention_heads", "dropout"] {
        try section.check(try section.value(key, as: Double.self) == nil, key,
                          "only applies to conditioner: gated_residual; remove it")
      }
      return .conv
    }
    let blocks = try section.int("blocks", default: 2)
    let heads = try section.int("attention_heads", default: 4)
    let dropout = try section.double("dropout", default: 0)
    try section.check(blocks >= 1 && blocks <= 64, "blocks", "must be in 1...64")
    try section.check(heads >= 0 && (heads == 0 || width % heads == 0), "attention_heads",
                      "must be 0 (no attention) or divide width \(width)")
    try section.check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), e.g. 0.2")
    return .gatedResidual(blocks: blocks, heads: heads, dropout: dropout)
  }
}

/// The `transform` values of an image model.
enum ImageTransformName: String, CaseIterable {
  case additive
  case affineTanh = "affine_tanh"
  case affineExp = "affine_exp"
  case affineSigmoid = "affine_sigmoid"
  case mixtureLogistic = "mixture_logistic"
}

/// The `conditioner` values of an image model.
enum ConditionerName: String, CaseIterable {
  case conv
  case gatedResidual = "gated_residual"
}
