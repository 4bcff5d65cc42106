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
///   transform: affine_sigmoid    # additive | affine_tanh | affine_exp | affine_sigmoid
///                                #   (default: affine_sigmoid for glow, affine_tanh for realnvp_image)
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
    let transform = try section.choice("transform", of: CouplingTransform.self,
                                       default: glow ? .affineSigmoid : .affineTanh)
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
      mixing: mixing, actnorm: actnorm, topPrior: prior, splitPrior: splitPrior)
  }
}
