import Autodiff
import TensorCore

extension FlowModel {
  /// The latent z = f(x) [batch, event…]; for a multi-scale flow it holds every level's latent,
  /// the factored-out channels included (standardized by their priors).
  public func encode<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>? = nil) -> Variable<S> {
    flow.forward(relative(x, to: condition), condition: features(condition, batch: x.shape[0])).output
  }

  /// x = f⁻¹(z) [batch, event…].
  public func decode<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>? = nil) -> Variable<S> {
    absolute(flow.inverse(z, condition: features(condition, batch: z.shape[0])).output, from: condition)
  }

  /// max |x − f⁻¹(f(x))| over the batch, a health metric of invertibility in the training
  /// precision; a non-finite reconstruction counts as +∞.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func roundTripError<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>? = nil) -> Double {
    let back = decode(encode(x, condition: condition), condition: condition)
    var worst = 0.0
    for (a, b) in zip(back.value, x.value) {
      let error = Double(Swift.abs(a - b))
      worst = error.isFinite ? Swift.max(worst, error) : .infinity
    }
    return worst
  }
}
