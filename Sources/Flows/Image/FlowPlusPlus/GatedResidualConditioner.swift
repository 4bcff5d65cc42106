import Autodiff
import TensorCore

/// Flow++'s coupling network: a 3×3 convolution in, B gated residual blocks, concat-ELU and a
/// zero-initialized 3×3 convolution out.
/// ```
/// h = conv3×3(x)
/// per block:  h = LN(h + gate(conv1×1(dropout(concatELU(conv3×3(concatELU(h)))))))
///             h = LN(h + gate(attention(h)))            (when heads > 0)
/// out = conv3×3(concatELU(h)),    gate([v, g]) = v ⊙ σ(g)
/// ```
/// LN is layer normalization over the channels with a learned gain and bias per channel.
/// Reference: Ho et al. 2019 (Flow++), §3.3; Salimans et al. 2017 (PixelCNN++ gated blocks).
public struct GatedResidualConditioner: ImageConditioner {
  public let input: Conv2D
  public let blocks: [GatedResidualBlock]
  public let output: Conv2D

  public init<S: TensorScalar>(
    _ name: String, inChannels: Int, width: Int, outChannels: Int, blocks: Int, heads: Int, dropout: Double,
    positions: (height: Int, width: Int), parameters: ParameterStore<S>
  ) {
    precondition(inChannels >= 1 && width >= 1 && outChannels >= 1 && blocks >= 1,
                 "gated residual conditioner \(inChannels) → \(width) × \(blocks) → \(outChannels) needs positive sizes")
    input = Conv2D("\(name).in", inChannels: inChannels, outChannels: width, kernel: 3, parameters: parameters)
    self.blocks = (0..<blocks).map {
      GatedResidualBlock("\(name).block\($0)", width: width, heads: heads, dropout: dropout, positions: positions,
                         parameters: parameters)
    }
    output = Conv2D("\(name).out", inChannels: 2 * width, outChannels: outChannels, kernel: 3,
                    zeroInitialized: true, parameters: parameters)
  }

  /// [batch, inChannels, H, W] → [batch, outChannels, H, W]
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    var h = input(x)
    for block in blocks { h = block(h) }
    return output(h.concatELU())
  }
}

/// One gated residual convolution, then (optionally) gated self-attention, each followed by a
/// layer norm over the channels (see `GatedResidualConditioner`).
public struct GatedResidualBlock: Sendable {
  public let convolution: Conv2D
  public let gate: Conv2D
  public let norm: ChannelLayerNorm
  public let attention: GatedSelfAttention?
  public let attentionNorm: ChannelLayerNorm?
  public let dropout: Double

  public init<S: TensorScalar>(_ name: String, width: Int, heads: Int, dropout: Double,
                               positions: (height: Int, width: Int), parameters: ParameterStore<S>) {
    convolution = Conv2D("\(name).conv", inChannels: 2 * width, outChannels: width, kernel: 3, parameters: parameters)
    gate = Conv2D("\(name).gate", inChannels: 2 * width, outChannels: 2 * width, kernel: 1, parameters: parameters)
    norm = ChannelLayerNorm("\(name).norm", channels: width, parameters: parameters)
    if heads > 0 {
      attention = GatedSelfAttention("\(name).attention", width: width, heads: heads, positions: positions,
                                     parameters: parameters)
      attentionNorm = ChannelLayerNorm("\(name).attention_norm", channels: width, parameters: parameters)
    } else {
      attention = nil
      attentionNorm = nil
    }
    self.dropout = dropout
  }

  /// [batch, width, H, W] → the same shape.
  public func callAsFunction<S: TensorScalar>(_ h: Variable<S>) -> Variable<S> {
    let a = convolution(h.concatELU()).concatELU().dropout(rate: dropout)
    var out = norm(h + gated(gate(a)))
    if let attention, let attentionNorm { out = attentionNorm(out + attention(out)) }
    return out
  }
}

/// `v ⊙ σ(g)` for [v, g] the channel halves of x.
func gated<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
  let (v, g) = x.split(alongAxis: 1, at: x.shape[1] / 2)
  return v * g.sigmoid()
}

/// Layer normalization over the channels of [batch, C, H, W] with a learned gain (init 1) and
/// bias (init 0) per channel. Reference: Ba et al. 2016.
public struct ChannelLayerNorm: Sendable {
  /// [C, 1, 1]
  public let gain: ParameterSlice
  /// [C, 1, 1]
  public let bias: ParameterSlice

  public init<S: TensorScalar>(_ name: String, channels: Int, parameters: ParameterStore<S>) {
    gain = parameters.add("\(name).gain", shape: [channels, 1, 1], initializer: .constant(1))
    bias = parameters.add("\(name).bias", shape: [channels, 1, 1], initializer: .zeros)
  }

  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    x.layerNormalized(alongAxis: 1) * x.tape.parameter(gain) + x.tape.parameter(bias)
  }
}
