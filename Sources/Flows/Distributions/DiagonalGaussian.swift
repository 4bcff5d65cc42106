import Autodiff
import Foundation
import TensorCore

/// A learned diagonal Gaussian N(μ, diag σ²) over the event dimensions.
///
/// ```
/// log p(z) = Σ [−½ ((z − μ)/σ)² − log σ − ½ log 2π]
/// ```
public struct DiagonalGaussian: BaseDistribution {
  /// [event…]
  public let mean: ParameterSlice
  /// [event…]
  public let logStd: ParameterSlice

  public init<S: TensorScalar>(_ name: String, eventShape: Shape, parameters: ParameterStore<S>) {
    mean = parameters.add("\(name).mean", shape: eventShape)
    logStd = parameters.add("\(name).log_std", shape: eventShape)
  }

  public func logProbability<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    let tape = z.tape
    return gaussianLogDensity(z, mean: tape.parameter(mean), logStd: tape.parameter(logStd))
  }

  public func sample<S: TensorScalar>(
    count: Int, eventShape: Shape, on tape: Tape<S>, condition: Variable<S>?,
    temperature: Double, noise: RandomStream, firstExample: Int
  ) -> Variable<S> {
    let eps = tape.standardNormal(count: count, eventShape: eventShape, noise: noise, firstExample: firstExample)
    return tape.parameter(mean) + eps * tape.parameter(logStd).exp().scaled(by: S(temperature))
  }
}

/// [batch] Σ over event dims of log N(z; μ, σ²); μ and log σ broadcast against z.
func gaussianLogDensity<S: TensorScalar>(_ z: Variable<S>, mean: Variable<S>, logStd: Variable<S>) -> Variable<S> {
  let standardized = (z - mean) * logStd.negated().exp()
  let perElement = standardized.square().scaled(by: -0.5) - logStd - S(0.5 * Foundation.log(2 * Double.pi))
  return perElement.sumPerExample()
}
