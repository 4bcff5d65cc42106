import Autodiff
import TensorCore

/// A planar flow on vectors [batch, D], used in the generative direction only (its inverse has
/// no closed form):
/// ```
/// x = z + û · tanh(wᵀz + b)
/// û = u + (m(wᵀu) − wᵀu) · w / ‖w‖²,   m(a) = −1 + softplus(a)
/// log|det ∂x/∂z| = log(1 + tanh′(wᵀz + b) · ûᵀw),   ûᵀw = m(wᵀu) > −1
/// ```
/// The reparameterized û keeps ûᵀw > −1, which makes the map invertible and the determinant
/// positive for any u and w; ‖w‖ must not be 0. With h = tanh(wᵀz + b) the determinant is
/// evaluated as `h² + (1 − h²) · softplus(wᵀu)`, a sum of non-negative terms: the textbook form
/// `1 + (1 − h²)(softplus − 1)` cancels to 0 in Float32 once wᵀu < −17 and wᵀz + b ≈ 0.
/// Reference: Rezende & Mohamed 2015, appendix A.1.
public struct Planar: GenerativeTransform {
  public let dimension: Int
  /// [D]
  public let u: ParameterSlice
  /// [D]
  public let w: ParameterSlice
  /// [1]
  public let bias: ParameterSlice

  public init<S: TensorScalar>(_ name: String, dimension: Int, parameters: ParameterStore<S>) {
    precondition(dimension >= 1, "planar flow needs a dimension ≥ 1, got \(dimension)")
    self.dimension = dimension
    let bound = (1 / Double(dimension)).squareRoot()
    u = parameters.add("\(name).u", shape: [dimension], initializer: .uniform(bound: bound))
    w = parameters.add("\(name).w", shape: [dimension], initializer: .uniform(bound: bound))
    bias = parameters.add("\(name).bias", shape: [1])
  }

  /// [D] û, the direction actually used: u moved along w so that ûᵀw = m(wᵀu) > −1.
  public func constrainedDirection<S: TensorScalar>(on tape: Tape<S>) -> Variable<S> {
    let u = tape.parameter(self.u), w = tape.parameter(self.w)
    let wu = (w * u).sum()
    return u + w * ((wu.softplus() - S(1) - wu) / w.square().sum())
  }

  public func transform<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(z.shape.rank == 2 && z.shape[1] == dimension,
                 "planar flow over \(dimension) dimensions got input \(z.shape)")
    let tape = z.tape
    // [batch, 1] pre-activation and tanh.
    let pre = z.matmul(tape.parameter(w).reshaped(to: [dimension, 1])) + tape.parameter(bias)
    let h = pre.tanh()
    let x = z + h * constrainedDirection(on: tape)
    // 1 + (1 − h²)·ûᵀw with ûᵀw = softplus(wᵀu) − 1 exactly, rearranged to avoid cancellation.
    let hSquared = h.square()
    let softplusWU = (tape.parameter(w) * tape.parameter(u)).sum().softplus()
    let logAbsDet = (hSquared + (S(1) - hSquared) * softplusWU).log()
    return FlowResult(output: x, logAbsDet: logAbsDet.reshaped(to: [z.shape[0]]))
  }
}
