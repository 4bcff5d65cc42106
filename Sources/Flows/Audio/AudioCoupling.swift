import Autodiff
import TensorCore

/// WaveGlow's affine coupling on folded audio [batch, C, 1, T] given the folded mel features
/// [batch, K, T]: the first ⌊C/2⌋ channels pass through and, with the mel, drive a `WaveNet` that
/// scales and shifts the others.
///
/// ```
/// (x_a, x_b) = channel halves,   (log s, t) = WN(x_a, c)
/// z = (x_a, x_b ⊙ exp(log s) + t),   logAbsDet = Σ log s
/// ```
/// Reference: Prenger et al. 2019 (WaveGlow), §2.2.
public struct AudioCoupling: InvertibleFlowLayer {
  public let channels: Int
  public let network: WaveNet

  public init<S: TensorScalar>(
    _ name: String, channels: Int, conditionChannels: Int, layers: Int, width: Int, parameters: ParameterStore<S>
  ) {
    precondition(channels >= 2, "an audio coupling needs at least 2 channels, got \(channels)")
    self.channels = channels
    network = WaveNet(name, inChannels: channels / 2, conditionChannels: conditionChannels, layers: layers,
                      channels: width, outChannels: 2 * (channels - channels / 2), parameters: parameters)
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    apply(x, condition: condition, inverse: false)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    apply(z, condition: condition, inverse: true)
  }

  private func apply<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?, inverse: Bool) -> FlowResult<S> {
    precondition(x.shape.rank == 4 && x.shape[1] == channels && x.shape[2] == 1,
                 "audio coupling over \(channels) channels got \(x.shape), expected [N, \(channels), 1, T]")
    guard let condition else { preconditionFailure("an audio coupling needs the mel features as its condition") }
    let (n, frames) = (x.shape[0], x.shape[3])
    precondition(condition.shape.rank == 3 && condition.shape[0] == n && condition.shape[2] == frames,
                 "mel features \(condition.shape) do not match audio \(x.shape): expected [\(n), K, \(frames)]")
    let (xa, xb) = x.split(alongAxis: 1, at: channels / 2)
    let h = network(xa.reshaped(to: [n, channels / 2, frames]), condition: condition)
    let (zb, logScale) = CouplingTransform.affineExp.couple(
      xb, h.reshaped(to: [n, h.shape[1], 1, frames]), update: nil, inverse: inverse)
    let logAbsDet = logScale!.sumPerExample()
    return FlowResult(output: xa.concatenated(with: zb, alongAxis: 1),
                      logAbsDet: inverse ? logAbsDet.negated() : logAbsDet)
  }
}
