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
  /// precision; a non-finite reconstruction counts as +∞. With `reversible`, both passes walk
  /// the flow one layer at a time (`ReversibleBackprop`).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func roundTripError<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>? = nil,
                                              reversible: ReversibleBackprop<S>? = nil) -> Double {
    guard let reversible else {
      return Self.largestError(decode(encode(x, condition: condition), condition: condition).value, x.value)
    }
    // Measured on the flow's input x − m(c): adding m(c) back is exact up to one rounding.
    let y = relative(x, to: condition)
    let back = reversible.roundTrip(flow, y, features: features(condition, batch: x.shape[0]))
    return back.withUnsafeBufferPointer { Self.largestError($0, y.value) }
  }

  private static func largestError<S: TensorScalar>(_ back: UnsafeBufferPointer<S>, _ x: UnsafeBufferPointer<S>) -> Double {
    var worst = 0.0
    for (a, b) in zip(back, x) {
      let error = Double(Swift.abs(a - b))
      worst = error.isFinite ? Swift.max(worst, error) : .infinity
    }
    return worst
  }
}
