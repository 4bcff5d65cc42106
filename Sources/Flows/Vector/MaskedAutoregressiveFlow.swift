import Autodiff
import TensorCore

/// Masked autoregressive flow: an affine autoregressive map whose density direction is one pass
/// of a MADE and whose sampling direction takes D passes.
///
/// ```
/// (μ, a) = MADE(x),   α = B · tanh(a / B)
/// z = (x − μ) · exp(−α),   logAbsDet = −Σ α
/// ```
/// The soft bound B (`logScaleBound`) keeps one layer from scaling by more than e^B either way,
/// so exp(∓α) cannot overflow however large the network's output gets; near 0 it is the identity.
/// Reverse the order between layers with `Permutation(.reverse, …)`.
/// Reference: Papamakarios et al. 2017 (MAF).
public struct MaskedAutoregressiveFlow: InvertibleFlowLayer {
  public let made: MADE
  /// B in α = B · tanh(a / B).
  public let logScaleBound: Double

  public init<S: TensorScalar>(
    _ name: String, dimension: Int, hidden: [Int], order: [Int]? = nil,
    activation: Activation = .relu, logScaleBound: Double = 3, parameters: ParameterStore<S>
  ) {
    precondition(logScaleBound > 0, "logScaleBound must be positive, got \(logScaleBound)")
    made = MADE(name, dimension: dimension, hidden: hidden, order: order, activation: activation,
                parameters: parameters)
    self.logScaleBound = logScaleBound
  }

  /// Inverse autoregressive flow: the same transform used the other way round, so sampling
  /// (its inverse) is one pass and density evaluation (its forward) takes D passes.
  /// Reference: Kingma et al. 2016 (IAF).
  public static func inverseAutoregressive<S: TensorScalar>(
    _ name: String, dimension: Int, hidden: [Int], order: [Int]? = nil,
    activation: Activation = .relu, logScaleBound: Double = 3, parameters: ParameterStore<S>
  ) -> Inverted<MaskedAutoregressiveFlow> {
    Inverted(MaskedAutoregressiveFlow(name, dimension: dimension, hidden: hidden, order: order,
                                      activation: activation, logScaleBound: logScaleBound,
                                      parameters: parameters))
  }

  public var dimension: Int { made.dimension }

  /// [batch, D] → (μ, α) with α soft-bounded.
  public func shiftAndLogScale<S: TensorScalar>(_ x: Variable<S>) -> (shift: Variable<S>, logScale: Variable<S>) {
    let (mu, a) = made(x)
    let bound = S(logScaleBound)
    return (mu, a.scaled(by: 1 / bound).tanh().scaled(by: bound))
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (mu, alpha) = shiftAndLogScale(x)
    return FlowResult(output: (x - mu) * alpha.negated().exp(),
                      logAbsDet: alpha.sumPerExample().negated())
  }

  /// `x = μ(x) + z · exp(α(x))` solved by D passes from x = 0: after pass t every dimension of
  /// degree ≤ t is exact. The D-fold map does not depend on the starting point, so its gradient
  /// is the exact gradient of the inverse; the last pass's α is α at the final x.
  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(z.shape.rank == 2 && z.shape[1] == dimension,
                 "MAF over \(dimension) dimensions got input \(z.shape)")
    var x = z.tape.constant(0, shape: z.shape)
    var alpha = x
    for _ in 0..<dimension {
      let (mu, a) = shiftAndLogScale(x)
      x = mu + z * a.exp()
      alpha = a
    }
    return FlowResult(output: x, logAbsDet: alpha.sumPerExample())
  }
}
