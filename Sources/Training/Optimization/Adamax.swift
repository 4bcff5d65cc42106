import Autodiff
import TensorCore

#if canImport(Glibc)
import Glibc
#endif

/// Adamax: Adam with the infinity norm in place of the second moment, one loop over the buffer.
///
/// ```
/// m ← β₁·m + (1−β₁)·g
/// u ← max(β₂·u, |g| + ε)
/// θ ← θ·(1 − lr·λ) − lr/(1−β₁ᵗ) · m/u
/// ```
/// The paper's `u ← max(β₂·u, |g|)` divides by zero while a gradient entry has only ever been 0;
/// adding ε inside the max (as PyTorch does) keeps `u ≥ ε`. `u` needs no bias correction.
/// λ is the optional decoupled weight decay, applied as in `Adam`.
///
/// Reference: Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", §7.1.
public final class Adamax: Optimizer {
  private var buffers: MomentBuffers
  /// Number of updates applied so far.
  public var stepCount: Int { buffers.stepCount }

  public init(
    parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0
  ) {
    buffers = MomentBuffers(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon,
                            weightDecay: weightDecay)
  }

  public func update(_ parameters: ParameterStore<Float>, learningRate: Double) {
    let t = buffers.beginStep(parameterCount: parameters.count, .adamax)
    let stepSize = Float(learningRate / (1 - pow(buffers.beta1, t)))
    let decay = Float(1 - learningRate * buffers.weightDecay)
    let b1 = Float(buffers.beta1), c1 = Float(1 - buffers.beta1), b2 = Float(buffers.beta2)
    let eps = Float(buffers.epsilon)
    let theta = parameters.values
    let grad = UnsafeBufferPointer(parameters.gradients)
    buffers.withMoments { m, u in
      for i in 0..<theta.count {
        let g = grad[i]
        let mi = b1 * m[i] + c1 * g
        let ui = Swift.max(b2 * u[i], g.magnitude + eps)
        m[i] = mi
        u[i] = ui
        theta[i] = theta[i] * decay - stepSize * mi / ui
      }
    }
  }

  public var state: OptimizerState { buffers.state(.adamax) }

  public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
    try buffers.restore(state, .adamax)
  }
}
