import Autodiff
import TensorCore

/// The network of an image coupling: [batch, inChannels, H, W] → [batch, outChannels, H, W].
public protocol ImageConditioner: Sendable {
  func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S>
}

extension ConvConditioner: ImageConditioner {}

/// Which network a coupling's conditioner is, as a config names it.
public enum ConditionerNetwork: Sendable, Equatable {
  /// Glow's 3×3 → 1×1 → 3×3 convolutions (`ConvConditioner`).
  case conv
  /// Flow++'s gated residual blocks with optional self-attention (`GatedResidualConditioner`);
  /// `heads` 0 leaves the attention out.
  case gatedResidual(blocks: Int, heads: Int, dropout: Double)

  /// The network with `hidden` channels for inputs of [inChannels, height, width] (attention
  /// learns one embedding per position, so it needs the spatial size).
  public func make<S: TensorScalar>(
    _ name: String, inChannels: Int, hidden: Int, outChannels: Int, height: Int, width: Int,
    parameters: ParameterStore<S>
  ) -> any ImageConditioner {
    switch self {
    case .conv:
      return ConvConditioner(name, inChannels: inChannels, width: hidden, outChannels: outChannels,
                             parameters: parameters)
    case .gatedResidual(let blocks, let heads, let dropout):
      return GatedResidualConditioner(name, inChannels: inChannels, width: hidden, outChannels: outChannels,
                                      blocks: blocks, heads: heads, dropout: dropout,
                                      positions: (height, width), parameters: parameters)
    }
  }
}
