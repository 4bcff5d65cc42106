import Autodiff
import TensorCore

/// Space-to-depth as a flow layer: [N, C, H, W] → [N, 4C, H/2, W/2] in Glow's channel order;
/// a permutation of the entries, so `logAbsDet = 0`. `Inverted(Squeeze())` is the unsqueeze.
/// Reference: Dinh et al. 2017 (RealNVP), Kingma & Dhariwal 2018 (Glow).
public struct Squeeze: InvertibleFlowLayer {
  public let factor: Int

  public init(factor: Int = 2) {
    precondition(factor >= 2, "squeeze factor must be at least 2, got \(factor)")
    self.factor = factor
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowResult(output: x.squeezed(factor: factor), logAbsDet: x.zeroLogAbsDet())
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowResult(output: z.unsqueezed(factor: factor), logAbsDet: z.zeroLogAbsDet())
  }
}
