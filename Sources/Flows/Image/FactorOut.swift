import Autodiff
import Collectives
import TensorCore

/// The split of a multi-scale flow: the first ⌊C/2⌋ (or `keptChannels`) channels z_a go on through the deeper
/// levels (`inner`), the others z_b leave the flow under `prior`.
///
/// ```
/// (z_a, z_b) = channel halves of x,   ε_b = (z_b − μ) / σ   (see FactoredPrior)
/// forward(x) = concat(inner(z_a), ε_b) along channels
/// logAbsDet  = inner's logAbsDet − Σ log σ
/// ```
/// With a standard normal base over the whole output, `log N(ε_b; 0, I) − Σ log σ` is the
/// factored prior's `log p(z_b | z_a)`, added to the density as in Glow's `split2d`. Written as a
/// bijection onto standardized noise, sampling needs no extra machinery: the base draws ε_b at
/// temperature T with the rest of the latent (keyed by example index), and the inverse computes
/// z_b = μ(z_a) + σ(z_a) · ε_b, so T scales every factored prior's standard deviation. The output
/// has the input's shape when `inner` preserves shapes (a level ends by unsqueezing).
/// Reference: Dinh et al. 2017 (RealNVP, multi-scale architecture); Kingma & Dhariwal 2018 (Glow).
public struct FactorOut: InvertibleFlowLayer {
  public let channels: Int
  public let prior: FactoredPrior
  /// The rest of the flow, applied to the kept channels; must preserve their shape.
  public let inner: InvertibleFlowSequence

  /// The first channels the deeper levels keep: ⌊C/2⌋ unless given (WaveGlow's early outputs
  /// leave 2 channels at a time).
  public let keptChannels: Int

  public init(channels: Int, keptChannels: Int? = nil, prior: FactoredPrior, inner: InvertibleFlowSequence) {
    precondition(channels >= 2, "factoring out needs at least 2 channels, got \(channels)")
    let kept = keptChannels ?? channels / 2
    precondition(kept >= 1 && kept < channels, "factoring out keeps 1 to \(channels - 1) channels, not \(kept)")
    self.channels = channels
    self.keptChannels = kept
    self.prior = prior
    self.inner = inner
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (za, zb) = halves(x)
    let r = inner.forward(za, condition: condition)
    let (eps, priorLogAbsDet) = prior.standardize(zb, given: za, features: condition)
    return FlowResult(output: r.output.concatenated(with: eps, alongAxis: 1),
                      logAbsDet: priorLogAbsDet.map { r.logAbsDet + $0 } ?? r.logAbsDet)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (innerLatent, eps) = halves(z)
    let r = inner.inverse(innerLatent, condition: condition)
    let (zb, priorLogAbsDet) = prior.unstandardize(eps, given: r.output, features: condition)
    return FlowResult(output: r.output.concatenated(with: zb, alongAxis: 1),
                      logAbsDet: priorLogAbsDet.map { r.logAbsDet + $0 } ?? r.logAbsDet)
  }

  private func halves<S: TensorScalar>(_ x: Variable<S>) -> (Variable<S>, Variable<S>) {
    precondition(x.shape.rank == 4 && x.shape[1] == channels,
                 "factor-out of \(channels) channels got input \(x.shape), expected [N, \(channels), H, W]")
    return x.split(alongAxis: 1, at: keptChannels)
  }

  /// Initializes the data-dependent layers of `inner` from the kept channels of `x`, with the
  /// condition the inner layers read (a vocoder's couplings cannot run without it).
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>,
    communicator: any Communicator
  ) throws {
    try inner.initializeDataDependent(
      from: halves(x).0, condition: condition, parameters: parameters, communicator: communicator)
  }
}
