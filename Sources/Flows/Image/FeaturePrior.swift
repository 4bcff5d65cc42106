import Autodiff
import TensorCore

/// A Gaussian prior over the latents [N, C, H, W] whose mean and log-std are computed from the
/// condition's features by a zero-initialized 3×3 convolution, written (like `LearnedPrior`) as
/// the bijection onto the standard normal that the base distribution scores.
///
/// ```
/// (μ, log σ) = conv(resize(features)),   ε = (z − μ) · exp(−log σ),   logAbsDet = −Σ log σ
/// ```
/// Sampling ε at temperature T gives z = μ + σ · T · ε′, so at T = 0 the latent is the mean the
/// features predict. Starts at N(0, I). Reference: Lugmayr et al. 2020 (SRFlow's conditional prior).
public struct FeaturePrior: InvertibleFlowLayer {
  public let channels: Int
  /// F, the channels of the features it reads.
  public let featureChannels: Int
  /// F → 2C: all μ, then all log σ.
  public let network: Conv2D

  public init<S: TensorScalar>(_ name: String, channels: Int, featureChannels: Int, parameters: ParameterStore<S>) {
    self.channels = channels
    self.featureChannels = featureChannels
    network = Conv2D(name, inChannels: featureChannels, outChannels: 2 * channels, kernel: 3,
                     zeroInitialized: true, parameters: parameters)
  }

  private func meanAndLogStd<S: TensorScalar>(_ x: Variable<S>, _ condition: Variable<S>?)
    -> (mean: Variable<S>, logStd: Variable<S>)
  {
    precondition(x.shape.rank == 4 && x.shape[1] == channels,
                 "feature prior over \(channels) channels got latents \(x.shape)")
    return network(x.features(condition, channels: featureChannels, layer: "the feature prior"))
      .split(alongAxis: 1, at: channels)
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (m, s) = meanAndLogStd(x, condition)
    return FlowResult(output: (x - m) * s.negated().exp(), logAbsDet: s.sumPerExample().negated())
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (m, s) = meanAndLogStd(z, condition)
    return FlowResult(output: z * s.exp() + m, logAbsDet: s.sumPerExample())
  }
}
