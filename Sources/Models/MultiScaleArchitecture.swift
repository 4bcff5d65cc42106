import Autodiff
import Flows
import TensorCore

/// A multi-scale image flow: L levels, each squeezing the image, transforming it and (except the
/// last) factoring half the channels out, as in RealNVP and Glow.
///
/// Every level is shape-preserving: it ends by unsqueezing, and a split returns the deeper
/// levels' latent concatenated with the factored-out channels (`FactorOut`). So the flow maps
/// x [N, C, H, W] to a latent of the same shape, scored by a standard normal base, and sampling,
/// temperature and interpolation need nothing beyond `FlowModel`.
/// Reference: Dinh et al. 2017 (RealNVP); Kingma & Dhariwal 2018 (Glow).
public struct MultiScaleArchitecture: Sendable, Equatable {
  public var style: MultiScaleStyle
  /// L ≥ 1; images must have sides divisible by 2^L (glow) or 2^(L−1) (realnvp).
  public var levels: Int
  /// K, the steps (glow) or couplings per stage (realnvp) of a level.
  public var steps: Int
  /// Channels of the coupling networks' hidden layers.
  public var width: Int
  public var transform: ImageCouplingTransform
  /// The couplings' conditioner network.
  public var conditioner: ConditionerNetwork
  /// Glow only; RealNVP alternates its masks instead.
  public var mixing: ChannelMixing
  /// An actnorm before every coupling (Glow: part of each step).
  public var actnorm: Bool
  public var topPrior: TopPrior
  public var splitPrior: SplitPrior

  public init(style: MultiScaleStyle, levels: Int, steps: Int, width: Int, transform: ImageCouplingTransform,
              conditioner: ConditionerNetwork = .conv, mixing: ChannelMixing, actnorm: Bool, topPrior: TopPrior,
              splitPrior: SplitPrior) {
    self.style = style
    self.levels = levels
    self.steps = steps
    self.width = width
    self.transform = transform
    self.conditioner = conditioner
    self.mixing = mixing
    self.actnorm = actnorm
    self.topPrior = topPrior
    self.splitPrior = splitPrior
  }

  /// Why images of `eventShape` [C, H, W] do not fit this architecture, or nil when they do.
  public func problem(with eventShape: Shape) -> String? {
    guard eventShape.rank == 3 else { return "image flows take [C, H, W] examples, got \(eventShape)" }
    let squeezes = style == .glow ? levels : levels - 1
    let side = 1 << squeezes
    guard eventShape[1] % side == 0 && eventShape[2] % side == 0 else {
      return "\(levels) \(style.rawValue) levels squeeze \(squeezes) times, so height and width must be "
        + "multiples of \(side); got \(eventShape[1])×\(eventShape[2]) (use fewer levels)"
    }
    return nil
  }

  /// The layers for examples of `eventShape` [C, H, W], registering their parameters in order.
  /// Random structure (permutations, LU rotations) is drawn from `seed`.
  public func build<S: TensorScalar>(eventShape: Shape, parameters: ParameterStore<S>, seed: UInt64)
    -> InvertibleFlowSequence
  {
    if let problem = problem(with: eventShape) { preconditionFailure(problem) }
    precondition(levels >= 1 && steps >= 1 && width >= 1, "levels, steps and width must be ≥ 1")
    var builder = MultiScaleBuilder(architecture: self, parameters: parameters, seed: seed)
    return InvertibleFlowSequence(builder.level(0, shape: eventShape))
  }
}
