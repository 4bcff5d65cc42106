import Autodiff
import TensorCore

/// A learned diagonal Gaussian prior N(μ, diag σ²) over latents [C, H, W], written as the
/// bijection onto the standard normal that the base distribution scores.
///
/// ```
/// ε = (z − μ) · exp(−log σ),   logAbsDet = −Σ log σ
/// log N(ε; 0, I) + logAbsDet = log N(z; μ, σ²)
/// ```
/// Sampling ε at temperature T gives z = μ + σ · T · ε′ (ε′ ~ N(0, I)): the temperature scales
/// this prior's standard deviation, as in Glow. Starts at N(0, I) (μ = 0, log σ = 0).
/// Reference: Kingma & Dhariwal 2018 (Glow's learned top prior).
public struct LearnedPrior: InvertibleFlowLayer {
  /// [C, H, W]
  public let eventShape: Shape
  /// [C, H, W]
  public let mean: ParameterSlice
  /// [C, H, W]
  public let logStd: ParameterSlice

  public init<S: TensorScalar>(_ name: String, eventShape: Shape, parameters: ParameterStore<S>) {
    self.eventShape = eventShape
    mean = parameters.add("\(name).mean", shape: eventShape)
    logStd = parameters.add("\(name).log_std", shape: eventShape)
  }

  private func parameters<S: TensorScalar>(for x: Variable<S>) -> (mean: Variable<S>, logStd: Variable<S>) {
    precondition(x.shape.count == x.shape[0] * eventShape.count && x.shape.rank == eventShape.rank + 1,
                 "prior over \(eventShape) got latents \(x.shape)")
    return (x.tape.parameter(mean), x.tape.parameter(logStd))
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (m, s) = parameters(for: x)
    return FlowResult(output: (x - m) * s.negated().exp(), logAbsDet: x.zeroLogAbsDet() - s.sum())
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (m, s) = parameters(for: z)
    return FlowResult(output: z * s.exp() + m, logAbsDet: z.zeroLogAbsDet() + s.sum())
  }
}
