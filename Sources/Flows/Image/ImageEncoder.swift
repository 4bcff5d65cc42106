import Autodiff
import TensorCore

/// The convolutional encoder of a super-resolution flow: the low-resolution image [N, C, h, w]
/// (levels 0 ..< `levels`) → features [N, F, h, w] that every conditional layer reads.
///
/// ```
/// plain:     u = c / levels − ½,  f = conv_D(relu(… relu(conv_1(u))))            (D convolutions)
/// residual:  u as above,  f = B_D(… B_1(conv_in(u))),  B(v) = v + conv(relu(conv(relu(v))))
/// ```
/// All convolutions are 3×3 with F channels. The input is centred like the dequantized
/// high-resolution image (x/levels − ½), so the first convolution starts at a sensible scale.
/// A residual block's last convolution is zero-initialized, so each block starts as the identity.
/// Reference: Lugmayr et al. 2020 (SRFlow's RRDB encoder, here with plain residual blocks).
public struct ImageEncoder: ConditionEncoder {
  public enum Style: String, Sendable, CaseIterable, Codable {
    /// D convolutions with ReLUs between (the PyTorch peer's encoder).
    case plain
    /// An input convolution, then D residual blocks.
    case residual
  }

  public let style: Style
  /// Input convolution, then (residual) two per block or (plain) the rest of the stack.
  public let convolutions: [Conv2D]
  /// Levels of the low-resolution image (256 for 8-bit).
  public let levels: Int

  public init<S: TensorScalar>(
    _ name: String, style: Style, inChannels: Int, width: Int, depth: Int, levels: Int,
    parameters: ParameterStore<S>
  ) {
    precondition(inChannels >= 1 && width >= 1 && depth >= 1 && levels >= 2,
                 "encoder needs positive channels and depth and at least 2 levels")
    self.style = style
    self.levels = levels
    var convolutions = [Conv2D("\(name).input", inChannels: inChannels, outChannels: width, kernel: 3,
                               parameters: parameters)]
    switch style {
    case .plain:
      for i in 1..<depth {
        convolutions.append(Conv2D("\(name).conv\(i)", inChannels: width, outChannels: width, kernel: 3,
                                   parameters: parameters))
      }
    case .residual:
      for b in 0..<depth {
        for k in 0..<2 {
          convolutions.append(Conv2D("\(name).block\(b).conv\(k)", inChannels: width, outChannels: width, kernel: 3,
                                     zeroInitialized: k == 1, parameters: parameters))
        }
      }
    }
    self.convolutions = convolutions
  }

  public var featureChannels: Int { convolutions[0].weight.shape[0] }

  public func encode<S: TensorScalar>(_ condition: Variable<S>) -> Variable<S> {
    precondition(condition.shape.rank == 4 && condition.shape[1] == convolutions[0].weight.shape[1],
                 "the encoder reads images [N, \(convolutions[0].weight.shape[1]), h, w], got \(condition.shape)")
    var v = convolutions[0](condition.scaled(by: 1 / S(levels)) - S(0.5))
    switch style {
    case .plain:
      for conv in convolutions.dropFirst() { v = conv(v.relu()) }
    case .residual:
      for b in stride(from: 1, to: convolutions.count, by: 2) {
        v = v + convolutions[b + 1](convolutions[b](v.relu()).relu())
      }
    }
    return v
  }
}
