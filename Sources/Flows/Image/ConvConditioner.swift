import Autodiff
import TensorCore

/// Glow's coupling network: 3×3 conv → ReLU → 1×1 conv → ReLU → zero-initialized 3×3 conv.
///
/// The zero-initialized last layer makes a coupling start as a fixed map (the identity for
/// additive couplings); a feature network that others read opts out of it. Reference: Kingma & Dhariwal 2018 (Glow), §3.3.
public struct ConvConditioner: Sendable {
  public let input: Conv2D
  public let hidden: Conv2D
  public let output: Conv2D

  public init<S: TensorScalar>(
    _ name: String, inChannels: Int, width: Int, outChannels: Int, parameters: ParameterStore<S>,
    zeroInitializedOutput: Bool = true
  ) {
    precondition(inChannels >= 1 && width >= 1 && outChannels >= 1,
                 "conditioner \(inChannels) → \(width) → \(outChannels) needs positive channel counts")
    input = Conv2D("\(name).0", inChannels: inChannels, outChannels: width, kernel: 3, parameters: parameters)
    hidden = Conv2D("\(name).1", inChannels: width, outChannels: width, kernel: 1, parameters: parameters)
    output = Conv2D("\(name).2", inChannels: width, outChannels: outChannels, kernel: 3,
                    zeroInitialized: zeroInitializedOutput, parameters: parameters)
  }

  /// [batch, inChannels, H, W] → [batch, outChannels, H, W]
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    // The hidden activations stay CNHW, where a block of images is a matrix for GEMM in place.
    let h = input(x, outputLayout: .cnhw).relu()
    return output(hidden(h, inputLayout: .cnhw, outputLayout: .cnhw).relu(), inputLayout: .cnhw)
  }
}
