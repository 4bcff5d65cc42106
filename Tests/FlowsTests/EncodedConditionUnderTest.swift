import Autodiff
import Flows
import TensorCore

/// Puts a conditional layer and its model's condition encoder through the fixture table together:
/// the raw condition passes through the encoder, then the layer reads the features, so the
/// gradient check reaches the encoder's parameters and the raw condition.
struct EncodedConditionUnderTest: InvertibleFlowLayer {
  let layer: any InvertibleFlowLayer
  let encoder: any ConditionEncoder

  func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    layer.forward(x, condition: condition.map { encoder.encode($0) })
  }

  func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    layer.inverse(z, condition: condition.map { encoder.encode($0) })
  }
}
