import Autodiff
import Collectives
import Flows
import TensorCore

/// Puts a conditional model's flow through the fixture table together with its condition
/// encoder: the layer reads the raw condition and hands the encoder's features to the flow, as
/// `FlowModel` does (relative to its condition offset), so the gradient checks reach the
/// encoder's parameters and the raw condition.
struct EncodedUnderTest: InvertibleFlowLayer {
  let model: FlowModel

  func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    model.flow.forward(model.relative(x, to: condition), condition: model.features(condition, batch: x.shape[0]))
  }

  func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let r = model.flow.inverse(z, condition: model.features(condition, batch: z.shape[0]))
    return FlowResult(output: model.absolute(r.output, from: condition), logAbsDet: r.logAbsDet)
  }
}
