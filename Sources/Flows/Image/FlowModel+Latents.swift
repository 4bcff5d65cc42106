import Autodiff
import TensorCore

extension FlowModel {
  /// The latent z = f(x) [batch, event…]; for a multi-scale flow it holds every level's latent,
  /// the factored-out channels included (standardized by their priors).
  public func encode<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>? = nil) -> Variable<S> {
    flow.forward(x, condition: condition).output
  }

  /// x = f⁻¹(z) [batch, event…]; nil when a layer has no closed-form inverse (see `canSample`).
  public func decode<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>? = nil) -> Variable<S>? {
    let layers = flow.layers.compactMap { $0 as? any InvertibleFlowLayer }
    guard layers.count == flow.layers.count else { return nil }
    return InvertibleFlowSequence(layers).inverse(z, condition: condition).output
  }

  /// max |x − f⁻¹(f(x))| over the batch, a health metric of invertibility in the training
  /// precision; nil when a layer has no closed-form inverse.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func roundTripError<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>? = nil) -> Double? {
    guard let back = decode(encode(x, condition: condition), condition: condition) else { return nil }
    var worst = 0.0
    for (a, b) in zip(back.value, x.value) { worst = Swift.max(worst, Double(Swift.abs(a - b))) }
    return worst
  }
}
