import Autodiff
import TensorCore

/// A layer used in the other direction: its forward is the wrapped layer's inverse.
///
/// IAF is `Inverted(MaskedAutoregressiveFlow)`: one-pass sampling, sequential density.
public struct Inverted<Layer: InvertibleFlowLayer>: InvertibleFlowLayer {
  public let layer: Layer

  public init(_ layer: Layer) { self.layer = layer }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    layer.inverse(x, condition: condition)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    layer.forward(z, condition: condition)
  }
}
