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
  public let beta1: Double
  public let beta2: Double
  public let epsilon: Double
  public let weightDecay: Double
  /// Number of updates applied so far.
  public private(set) var stepCount = 0
  /// [parameterCount] first moments.
  public private(set) var m: [Float]
  /// [parameterCount] exponentially weighted infinity norms (`u` in the paper).
  public private(set) var u: [Float]

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
    u = Array(repeating: 0, count: parameterCount)
  }

  public func update(_ parameters: ParameterStore<Float>, learningRate: Double) {
    precondition(parameters.count == m.count,
                 "Adamax built for \(m.count) parameters, store has \(parameters.count)")
    stepCount += 1
    let stepSize = Float(learningRate / (1 - pow(beta1, Double(stepCount))))
    let decay = Float(1 - learningRate * weightDecay)
    let b1 = Float(beta1), c1 = Float(1 - beta1), b2 = Float(beta2)
    let eps = Float(epsilon)
    let theta = parameters.values
    let grad = UnsafeBufferPointer(parameters.gradients)
    m.withUnsafeMutableBufferPointer { m in
      u.withUnsafeMutableBufferPointer { u in
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
  }

  public var state: OptimizerState {
    OptimizerState(kind: .adamax, stepCount: stepCount, m: m, v: u)
  }

  public func restore(_ state: OptimizerState) throws(OptimizerStateError) {
    try state.validate(for: .adamax, parameterCount: m.count)
    stepCount = state.stepCount
    m = state.m
    u = state.v
  }
}
