import Autodiff
import TensorCore

/// The prior of the channels a multi-scale flow factors out, written (like `LearnedPrior`) as the
/// standardization ε = (z_b − μ) / σ that leaves N(0, I) for the base distribution.
public enum FactoredPrior: Sendable {
  /// N(0, I): ε = z_b.
  case standardNormal
  /// N(μ, σ²) with a learned mean and log-std per entry.
  case learned(LearnedPrior)
  /// N(μ(z_a), σ(z_a)²), with [μ, log σ] computed from the kept channels z_a by a
  /// zero-initialized 3×3 convolution (Glow's `split2d` prior).
  case conditional(Conv2D)
  /// N(μ, σ²) with [μ, log σ] computed from the kept channels z_a and the condition's
  /// `featureChannels` features (resized to z_a's resolution) by a zero-initialized 3×3
  /// convolution (SRFlow's conditional split prior).
  case conditionalOnFeatures(Conv2D, featureChannels: Int)

  /// [batch, C_b, H, W] each: μ and log σ given the kept channels (and the features), for the
  /// conditional priors.
  public func meanAndLogStd<S: TensorScalar>(given za: Variable<S>, features: Variable<S>? = nil,
                                             factoredChannels: Int) -> (mean: Variable<S>, logStd: Variable<S>)? {
    switch self {
    case .conditional(let network):
      return network(za).split(alongAxis: 1, at: factoredChannels)
    case .conditionalOnFeatures(let network, let channels):
      let f = za.features(features, channels: channels, layer: "a feature-conditional split prior")
      return network(za.concatenated(with: f, alongAxis: 1)).split(alongAxis: 1, at: factoredChannels)
    case .standardNormal, .learned:
      return nil
    }
  }

  /// z_b → ε with log|det ∂ε/∂z_b| [batch] (nil when 0).
  func standardize<S: TensorScalar>(_ zb: Variable<S>, given za: Variable<S>, features: Variable<S>?)
    -> (Variable<S>, Variable<S>?)
  {
    switch self {
    case .standardNormal:
      return (zb, nil)
    case .learned(let prior):
      let r = prior.forward(zb, condition: nil)
      return (r.output, r.logAbsDet)
    case .conditional, .conditionalOnFeatures:
      let (m, s) = meanAndLogStd(given: za, features: features, factoredChannels: zb.shape[1])!
      return ((zb - m) * s.negated().exp(), s.sumPerExample().negated())
    }
  }

  /// ε → z_b with log|det ∂z_b/∂ε| [batch] (nil when 0).
  func unstandardize<S: TensorScalar>(_ eps: Variable<S>, given za: Variable<S>, features: Variable<S>?)
    -> (Variable<S>, Variable<S>?)
  {
    switch self {
    case .standardNormal:
      return (eps, nil)
    case .learned(let prior):
      let r = prior.inverse(eps, condition: nil)
      return (r.output, r.logAbsDet)
    case .conditional, .conditionalOnFeatures:
      let (m, s) = meanAndLogStd(given: za, features: features, factoredChannels: eps.shape[1])!
      return (eps * s.exp() + m, s.sumPerExample())
    }
  }
}
