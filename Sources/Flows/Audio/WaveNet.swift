import Autodiff
import TensorCore

/// WaveGlow's coupling network "WN": a non-causal WaveNet of dilated convolutions with gated
/// activations, conditioned on the upsampled mel at every layer.
///
/// ```
/// a = start(x)                                  1×1, in → C
/// p = condition(c)                              1×1, condChannels → 2C · layers (one projection for all layers)
/// layer i:  g = tanh·sigmoid(dilated_i(a) + p_i)     k = 3, dilation 2^i, C → 2C
///           r = resSkip_i(g)                    1×1, C → 2C (last layer: C, skip only)
///           a += r[:C],  skip += r[C:]
/// h = end(skip)                                 1×1, C → out, zero-initialized
/// ```
/// The zero end makes every coupling start as the identity. Reference: Prenger et al. 2019
/// (WaveGlow), NVIDIA's `WN`; van den Oord et al. 2016 (WaveNet).
public struct WaveNet: Sendable {
  public let channels: Int
  public let start: Conv1D
  public let condition: Conv1D
  public let dilated: [Conv1D]
  public let resSkip: [Conv1D]
  public let end: Conv1D

  public init<S: TensorScalar>(
    _ name: String, inChannels: Int, conditionChannels: Int, layers: Int, channels: Int, outChannels: Int,
    parameters: ParameterStore<S>
  ) {
    precondition(inChannels >= 1 && conditionChannels >= 1 && layers >= 1 && channels >= 1 && outChannels >= 1,
                 "WN \(inChannels) → \(channels) × \(layers) → \(outChannels) needs positive sizes")
    self.channels = channels
    start = Conv1D("\(name).start", inChannels: inChannels, outChannels: channels, parameters: parameters)
    condition = Conv1D("\(name).cond", inChannels: conditionChannels, outChannels: 2 * channels * layers,
                       parameters: parameters)
    dilated = (0..<layers).map {
      Conv1D("\(name).in.\($0)", inChannels: channels, outChannels: 2 * channels, kernel: 3, dilation: 1 << $0,
             parameters: parameters)
    }
    resSkip = (0..<layers).map {
      Conv1D("\(name).res_skip.\($0)", inChannels: channels, outChannels: $0 < layers - 1 ? 2 * channels : channels,
             parameters: parameters)
    }
    end = Conv1D("\(name).end", inChannels: channels, outChannels: outChannels, zeroInitialized: true,
                 parameters: parameters)
  }

  /// x [batch, inChannels, T], c [batch, conditionChannels, T] → [batch, outChannels, T]
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, condition c: Variable<S>) -> Variable<S> {
    var a = start(x)
    let projected = condition(c).split(alongAxis: 1, sizes: Array(repeating: 2 * channels, count: dilated.count))
    var skip: Variable<S>? = nil
    for i in dilated.indices {
      let r = resSkip[i]((dilated[i](a) + projected[i]).gatedTanh())
      let s: Variable<S>
      if i < dilated.count - 1 {
        let (residual, skipped) = r.split(alongAxis: 1, at: channels)
        a = a + residual
        s = skipped
      } else {
        s = r
      }
      skip = skip.map { $0 + s } ?? s
    }
    return end(skip!)
  }
}
