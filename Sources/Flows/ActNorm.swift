import Autodiff
import Collectives
import TensorCore
import Foundation

/// Per-channel affine normalization `z = (x + b) · exp(logs)` on [batch, C] or [batch, C, ...].
///
/// ```
/// logAbsDet = (∏ spatial dims) · Σ_c logs_c
/// ```
/// Initialized from data (an explicit collective step, see `InvertibleFlowLayer.initializeDataDependent`) so that
/// the first batch's output has zero mean and unit variance per channel.
/// Reference: Kingma & Dhariwal 2018 (Glow).
public struct ActNorm: InvertibleFlowLayer {
  public let channels: Int
  /// [C]
  public let shift: ParameterSlice
  /// [C]
  public let logScale: ParameterSlice

  public init<S: TensorScalar>(_ name: String, channels: Int, parameters: ParameterStore<S>) {
    self.channels = channels
    shift = parameters.add("\(name).shift", shape: [channels])
    logScale = parameters.add("\(name).logs", shape: [channels])
  }

  /// The parameters reshaped to broadcast against x: [C] → [C, 1, 1, …].
  private func broadcastable<S: TensorScalar>(_ p: ParameterSlice, like x: Variable<S>) -> Variable<S> {
    let v = x.tape.parameter(p)
    guard x.shape.rank > 2 else { return v }
    var shape = Shape(rank: x.shape.rank - 1, repeating: 1)
    shape[0] = channels
    return v.reshaped(to: shape)
  }

  private func logAbsDet<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    let spatial = x.shape.count / (x.shape[0] * channels)
    let total = x.tape.parameter(logScale).sum().scaled(by: S(spatial))
    return x.zeroLogAbsDet() + total
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(x.shape.rank >= 2 && x.shape[1] == channels,
                 "actnorm over \(channels) channels got input \(x.shape)")
    let z = (x + broadcastable(shift, like: x)) * broadcastable(logScale, like: x).exp()
    return FlowResult(output: z, logAbsDet: logAbsDet(x))
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let x = z * broadcastable(logScale, like: z).negated().exp() - broadcastable(shift, like: z)
    return FlowResult(output: x, logAbsDet: logAbsDet(z).negated())
  }

  /// Sets `b = −mean`, `logs = −log(std)` per channel from the all-reduced sums of x and x².
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>,
    communicator: any Communicator
  ) throws {
    let perChannel = x.shape.count / (x.shape[0] * channels)
    // [count, Σx per channel, Σx² per channel], in Float64 so large batches do not lose precision.
    var sums = [Double](repeating: 0, count: 1 + 2 * channels)
    sums[0] = Double(x.shape[0] * perChannel)
    let v = x.value
    for n in 0..<x.shape[0] {
      for c in 0..<channels {
        let base = (n * channels + c) * perChannel
        for i in 0..<perChannel {
          let value = Double(v[base + i])
          sums[1 + c] += value
          sums[1 + channels + c] += value * value
        }
      }
    }
    try sums.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
    let b = parameters.values(of: shift), logs = parameters.values(of: logScale)
    for c in 0..<channels {
      let mean = sums[1 + c] / sums[0]
      let variance = max(sums[1 + channels + c] / sums[0] - mean * mean, 0)
      b[c] = S(-mean)
      logs[c] = S(-0.5 * Foundation.log(variance + 1e-6))
    }
  }
}
