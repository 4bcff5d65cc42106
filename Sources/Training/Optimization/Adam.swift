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
  public let beta1: Double
  public let beta2: Double
  public let epsilon: Double
  public let weightDecay: Double
  /// Number of updates applied so far.
  public private(set) var stepCount = 0
  /// [parameterCount] first moments.
  public private(set) var m: [Float]
  /// [parameterCount] second moments.
  public private(set) var v: [Float]

  public init(
    parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0
  ) {
    precondition(parameterCount >= 0, "parameterCount \(parameterCount) < 0")
    precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "betas must be in [0, 1)")
    precondition(epsilon > 0 && weightDecay >= 0, "epsilon must be > 0 and weightDecay >= 0")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    m = Array(repeating: 0, count: parameterCount)
    v = Array(repeating: 0, count: parameterCount)
  }

  public func update(_ parameters: ParameterStore<Float>, learningRate: Double) {
    precondition(parameters.count == m.count,
                 "Adam built for \(m.count) parameters, store has \(parameters.count)")
    stepCount += 1
    // Per-step scalars in Float64: 1 − βᵗ underflows its precision long before the loop would.
    let t = Double(stepCount)
    let stepSize = Float(learningRate / (1 - pow(beta1, t)))
    let inverseRootCorrection2 = Float(1 / (1 - pow(beta2, t)).squareRoot())
    let decay = Float(1 - learningRate * weightDecay)
    let b1 = Float(beta1), c1 = Float(1 - beta1)
    let b2 = Float(beta2), c2 = Float(1 - beta2)
    let eps = Float(epsilon)
    let theta = parameters.values
    let grad = UnsafeBufferPointer(parameters.gradients)
    m.withUnsafeMutableBufferPointer { m in
      v.withUnsafeMutableBufferPointer { v in
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
  }

  public var state: OptimizerState {
    OptimizerState(kind: .adam, stepCount: stepCount, m: m, v: v)
  }

  public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
    try state.validate(for: .adam, parameterCount: m.count)
    stepCount = state.stepCount
    m = state.m
    v = state.v
  }
}
