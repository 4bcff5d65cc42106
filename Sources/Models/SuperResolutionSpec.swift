import Configuration
import Flows
import TensorCore

/// An SRFlow-style conditional Glow for super-resolution, p(HR | LR), described by the `model`
/// section of a config.
///
/// ```yaml
/// model:
///   family: srflow
///   scale: 4                  # HR side ÷ LR side (a power of 2); the condition is the LR image
///   levels: 3                 # L: squeezes of the HR image
///   steps: 8                  # K steps per level: actnorm → 1×1 conv (LU) → [injector] → coupling
///   width: 128                # hidden channels of the coupling and injector networks
///   injector: true            # an affine injector (scale and shift from the features) in every step
///   prior: conditional        # top latent: standard_normal | conditional (from the features)
///   split_prior: conditional  # standard_normal | conditional (from the kept channels and the features)
///   encoder: residual         # residual (3×3 residual blocks) | plain (a stack of 3×3 convolutions)
///   encoder_width: 64         # F, the features every conditional layer reads
///   encoder_depth: 4          # residual blocks, or convolutions of a plain encoder
///   encoder_warm_start: 0     # N: the first N steps train the encoder alone by L1 regression
///   skip: bicubic             # none | bicubic: the flow models HR − bicubic(LR) (`BicubicUpscaling`)
/// ```
/// The warm start is SRFlow's pre-training of its encoder, inside the one run: for N steps a
/// zero-initialized 3×3 head on the features predicts the HR image (relative to the skip) and
/// only the L1 error back-propagates (`EncoderWarmStart`); then the likelihood trains it all.
/// The model is fully convolutional: the same parameters fit HR images of any size whose sides
/// are multiples of 2^L and of `scale`. Reference: Lugmayr et al. 2020 (SRFlow).
public struct SuperResolutionSpec: Sendable, Equatable {
  /// Priors a super-resolution flow can put on a latent.
  public enum Prior: String, Sendable, CaseIterable {
    case standardNormal = "standard_normal"
    /// Mean and log-std from the features (and, at a split, the kept channels).
    case conditional
  }

  public var scale: Int
  public var levels: Int
  public var steps: Int
  public var width: Int
  public var injector: Bool
  public var topPrior: Prior
  public var splitPrior: Prior
  public var encoder: ImageEncoder.Style
  public var encoderWidth: Int
  public var encoderDepth: Int
  public var encoderWarmStart: Int
  public var skip: Skip

  /// What the flow models HR relative to.
  public enum Skip: String, Sendable, CaseIterable {
    /// HR itself (SRFlow).
    case none
    /// HR minus Pillow's bicubic upscaling of LR: the flow starts at the bicubic baseline.
    case bicubic
  }

  public init(config section: ConfigSection) throws(ConfigError) {
    scale = try section.int("scale", default: 4)
    levels = try section.int("levels", default: 3)
    steps = try section.int("steps", default: 8)
    width = try section.int("width", default: 64)
    injector = try section.bool("injector", default: true)
    topPrior = try section.choice("prior", of: Prior.self, default: .conditional)
    splitPrior = try section.choice("split_prior", of: Prior.self, default: .conditional)
    encoder = try section.choice("encoder", of: ImageEncoder.Style.self, default: .residual)
    encoderWidth = try section.int("encoder_width", default: 64)
    encoderDepth = try section.int("encoder_depth", default: 4)
    encoderWarmStart = try section.int("encoder_warm_start", default: 0)
    skip = try section.choice("skip", of: Skip.self, default: .none)
    try section.check(scale >= 2 && scale & (scale - 1) == 0, "scale", "must be a power of 2 (2, 4, 8)")
    try section.check(levels >= 1, "levels", "must be ≥ 1")
    try section.check(steps >= 1, "steps", "must be ≥ 1")
    try section.check(width >= 1, "width", "must be ≥ 1")
    try section.check(encoderWidth >= 1, "encoder_width", "must be ≥ 1")
    try section.check(encoderDepth >= 1, "encoder_depth", "must be ≥ 1")
    try section.check(encoderWarmStart >= 0, "encoder_warm_start", "must be ≥ 0 (0: no warm start)")
    try ParameterBudget.checkConvolutions(section, width: width, steps: steps, levels: levels)
  }

  /// [C, H/scale, W/scale], the LR image that conditions HR images of `eventShape` [C, H, W].
  public func conditionShape(for eventShape: Shape) -> Shape? {
    guard eventShape.rank == 3 else { return nil }
    return [eventShape[0], eventShape[1] / scale, eventShape[2] / scale]
  }

  /// The side HR images must be a multiple of: 2^L for the squeezes, and `scale` for the LR image.
  public var sideMultiple: Int { max(1 << levels, scale) }

  /// Why HR images of `eventShape` with conditions of `conditionShape` cannot be modelled, or nil.
  public func problem(with eventShape: Shape, conditionShape: Shape?) -> String? {
    guard eventShape.rank == 3 else { return "srflow takes [C, H, W] images, got \(eventShape)" }
    let side = sideMultiple
    guard eventShape[1] % side == 0 && eventShape[2] % side == 0 else {
      return "srflow with \(levels) levels at scale \(scale) needs HR sides that are multiples of \(side); "
        + "got \(eventShape[1])×\(eventShape[2]) (use fewer levels or crop the images)"
    }
    guard let conditionShape else {
      return "srflow needs LR images as conditions; give data.train_condition (and data.validation_condition)"
    }
    let expected = self.conditionShape(for: eventShape)!
    guard conditionShape == expected else {
      return "srflow at scale \(scale) reads LR images \(expected) for HR \(eventShape), but the data's "
        + "conditions are \(conditionShape); set model.scale to the data's HR/LR ratio"
    }
    return nil
  }
}
