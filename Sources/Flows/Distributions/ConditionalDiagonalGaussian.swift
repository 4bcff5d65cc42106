import Autodiff
import TensorCore

/// A diagonal Gaussian whose mean and log-std are computed from a condition c [batch, C] by an
/// MLP; the last layer is zero-initialized, so it starts as N(0, I).
///
/// ```
/// (μ(c), log σ(c)) = MLP(c),   log p(z | c) = Σ [−½ ((z − μ)/σ)² − log σ − ½ log 2π]
/// ```
public struct ConditionalDiagonalGaussian: BaseDistribution {
  /// Shape of one example, e.g. [D].
  public let eventShape: Shape
  /// C → hidden… → 2·|event| (all μ, then all log σ).
  public let network: MLP

  public init<S: TensorScalar>(
    _ name: String, conditionFeatures: Int, eventShape: Shape, hidden: [Int],
    activation: Activation = .relu, parameters: ParameterStore<S>
  ) {
    precondition(conditionFeatures >= 1, "condition needs at least one feature, got \(conditionFeatures)")
    self.eventShape = eventShape
    network = MLP(name, inputs: conditionFeatures, hidden: hidden, outputs: 2 * eventShape.count,
                  activation: activation, parameters: parameters)
  }

  /// (μ, log σ), each [batch, event…], from the condition [batch, C].
  public func meanAndLogStd<S: TensorScalar>(_ condition: Variable<S>?) -> (mean: Variable<S>, logStd: Variable<S>) {
    guard let condition else {
      preconditionFailure("a conditional Gaussian needs a condition [batch, features]")
    }
    precondition(condition.shape.rank == 2, "condition must be [batch, features], got \(condition.shape)")
    var shape = Shape(rank: eventShape.rank + 1, repeating: condition.shape[0])
    for i in 0..<eventShape.rank { shape[i + 1] = eventShape[i] }
    let (mean, logStd) = network(condition).split(alongAxis: 1, at: eventShape.count)
    return (mean.reshaped(to: shape), logStd.reshaped(to: shape))
  }

  public func logProbability<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    let (mean, logStd) = meanAndLogStd(condition)
    precondition(mean.shape == z.shape, "z \(z.shape) does not match the condition's \(mean.shape)")
    return gaussianLogDensity(z, mean: mean, logStd: logStd)
  }

  public func sample<S: TensorScalar>(
    count: Int, eventShape: Shape, on tape: Tape<S>, condition: Variable<S>?,
    temperature: Double, noise: RandomStream, firstExample: Int
  ) -> Variable<S> {
    precondition(eventShape == self.eventShape, "asked for events \(eventShape), built for \(self.eventShape)")
    let (mean, logStd) = meanAndLogStd(condition)
    precondition(mean.shape[0] == count, "\(count) samples for a condition batch of \(mean.shape[0])")
    let eps = tape.standardNormal(count: count, eventShape: eventShape, noise: noise, firstExample: firstExample)
    return mean + eps * logStd.exp().scaled(by: S(temperature))
  }
}
