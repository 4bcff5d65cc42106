import Autodiff
import Flows
import TensorCore

/// Puts a generative transform through the fixture table: `forward` is its `transform` (z → x),
/// so the brute-force Jacobian, gradient, finiteness and coverage tests check the generative
/// direction. It does not conform to `InvertibleFlowLayer`, so the round-trip test skips it.
struct GenerativeUnderTest: FlowLayer {
  let transform: any GenerativeTransform

  init(_ transform: any GenerativeTransform) { self.transform = transform }

  func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    transform.transform(x, condition: condition)
  }
}
