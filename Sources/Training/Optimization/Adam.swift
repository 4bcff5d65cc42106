import Autodiff
import TensorCore

#if canImport(Glibc)
import Glibc
#endif

/// Adam with bias correction and optional decoupled weight decay (AdamW), one loop over the buffer.
///
/// ```
/// m ← β₁·m + (1−β₁)·g
/// v ← β₂·v + (1−β₂)·g²
/// θ ← θ·(1 − lr·λ) − lr · m̂ / (√v̂ + ε),   m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
/// ```
/// With λ = 0 this is Algorithm 1 of the paper; the decay term multiplies θ before the Adam step,
/// as in PyTorch's `AdamW`, so the two agree step for step.
///
/// Reference: Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization";
/// Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization".
public final class Adam: Optimizer {
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
    // Per-step scalars in Float64: 1 − βᵗ underflows its precision long before the loop would.
    let t = buffers.beginStep(parameterCount: parameters.count, .adam)
    let beta1 = buffers.beta1, beta2 = buffers.beta2
    let stepSize = Float(learningRate / (1 - pow(beta1, t)))
    let inverseRootCorrection2 = Float(1 / (1 - pow(beta2, t)).squareRoot())
    let decay = Float(1 - learningRate * buffers.weightDecay)
    let b1 = Float(beta1), c1 = Float(1 - beta1)
    let b2 = Float(beta2), c2 = Float(1 - beta2)
    let eps = Float(buffers.epsilon)
    let theta = parameters.values
    let grad = UnsafeBufferPointer(parameters.gradients)
    buffers.withMoments { m, v in
      for i in 0..<theta.count {
        let g = grad[i]
        let mi = b1 * m[i] + c1 * g
        let vi = b2 * v[i] + c2 * (g * g)
        m[i] = mi
        v[i] = vi
        theta[i] = theta[i] * decay - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps)
      }
    }
  }

  public var state: OptimizerState { buffers.state(.adam) }

  public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
    try buffers.restore(state, .adam)
  }
}
