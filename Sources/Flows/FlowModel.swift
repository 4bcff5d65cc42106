import Autodiff
import Foundation
import TensorCore

/// A normalizing flow with its base distribution: the density model the trainer optimizes.
///
/// ```
/// log p(x | c) = log p_Z(f(x) | c) + log|det ∂f/∂x|
/// ```
/// Every layer is invertible, so a model can always sample. A conditional model (one with a
/// `conditionShape`) reads a condition [batch, condition…] in its layers and its base — through
/// its `conditionEncoder`, when it has one — and may model its data relative to a
/// `conditionOffset` m(c): then f maps x − m(c).
public struct FlowModel: Sendable {
  /// The density-direction map x → z.
  public let flow: InvertibleFlowSequence
  public let base: any BaseDistribution
  /// Shape of one example, e.g. [2] or [1, 8, 8].
  public let eventShape: Shape
  /// Shape of one example's condition, e.g. [K]; nil for an unconditional model.
  public let conditionShape: Shape?
  /// Maps the condition to the features the layers and the base read; nil: they read it as is.
  public let conditionEncoder: (any ConditionEncoder)?
  /// The point of data space the flow's input is taken relative to; nil: x itself.
  public let conditionOffset: (any ConditionOffset)?

  public init(flow: InvertibleFlowSequence, base: any BaseDistribution, eventShape: Shape,
              conditionShape: Shape? = nil, conditionEncoder: (any ConditionEncoder)? = nil,
              conditionOffset: (any ConditionOffset)? = nil) {
    precondition(conditionEncoder == nil || conditionShape != nil, "a condition encoder needs a condition shape")
    precondition(conditionOffset == nil || conditionShape != nil, "a condition offset needs a condition shape")
    self.flow = flow
    self.base = base
    self.eventShape = eventShape
    self.conditionShape = conditionShape
    self.conditionEncoder = conditionEncoder
    self.conditionOffset = conditionOffset
  }

  /// What the layers and the base read for `condition`: the encoder's features, or the condition
  /// itself. Checks the condition against the model and a batch of `batch` examples.
  public func features<S: TensorScalar>(_ condition: Variable<S>?, batch: Int) -> Variable<S>? {
    checkCondition(condition, batch: batch)
    guard let condition, let conditionEncoder else { return condition }
    return conditionEncoder.encode(condition)
  }

  /// Number of dimensions per example (D in nats/dim and bits/dim).
  public var dimensions: Int { eventShape.count }

  /// `<index>.<type>` of each top-level layer, the keys of the per-layer log-det statistics.
  public var layerNames: [String] { flow.layers.enumerated().map { "\($0.offset).\(type(of: $0.element))" } }

  /// [batch] log p(x | c).
  public func logLikelihood<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>? = nil) -> Variable<S> {
    logLikelihoodWithLayers(x, condition: condition).logLikelihood
  }

  /// [batch] log p(x | c) and each top-level layer's [batch] log-determinant.
  public func logLikelihoodWithLayers<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>? = nil
  ) -> (logLikelihood: Variable<S>, layerLogAbsDets: [Variable<S>]) {
    let features = features(condition, batch: x.shape[0])
    let r = flow.forwardLayers(relative(x, to: condition), condition: features)
    return (base.logProbability(r.output, condition: features) + r.logAbsDet, r.layerLogAbsDets)
  }

  /// The flow's input for data `x`: x − m(c) with a condition offset, else x.
  public func relative<S: TensorScalar>(_ x: Variable<S>, to condition: Variable<S>?) -> Variable<S> {
    guard let conditionOffset, let condition else { return x }
    return x - conditionOffset.offset(condition)
  }

  /// The data for the flow's input `y`: y + m(c) with a condition offset, else y.
  public func absolute<S: TensorScalar>(_ y: Variable<S>, from condition: Variable<S>?) -> Variable<S> {
    guard let conditionOffset, let condition else { return y }
    return y + conditionOffset.offset(condition)
  }

  /// `count` samples x = f⁻¹(z), z ~ p_Z(· | c) at the given temperature; example i draws the
  /// noise of example `firstExample + i`.
  public func sample<S: TensorScalar>(
    count: Int, on tape: Tape<S>, condition: Variable<S>? = nil, temperature: Double = 1,
    noise: RandomStream, firstExample: Int = 0
  ) -> Variable<S> {
    let features = features(condition, batch: count)
    let z = base.sample(count: count, eventShape: eventShape, on: tape, condition: features,
                        temperature: temperature, noise: noise, firstExample: firstExample)
    return absolute(flow.inverse(z, condition: features).output, from: condition)
  }

  private func checkCondition<S: TensorScalar>(_ condition: Variable<S>?, batch: Int) {
    guard let conditionShape else {
      precondition(condition == nil, "an unconditional model was given a condition")
      return
    }
    guard let condition else { preconditionFailure("a conditional model needs a condition \(conditionShape)") }
    precondition(condition.shape == Shape([batch] + conditionShape.dimensions),
                 "condition \(condition.shape) for a batch of \(batch) examples with conditions \(conditionShape)")
  }
}

/// A model bundled with the flat parameter store its layers read: what is trained, evaluated,
/// sampled and checkpointed.
public struct TrainableFlow {
  public let model: FlowModel
  public let parameters: ParameterStore<Float>
  /// q(u | x) trained with the model (variational dequantization), its parameters after the
  /// model's in the same store; nil for uniform dequantization or continuous data.
  public let dequantizer: VariationalDequantizer?
  /// The L1 warm start of the model's condition encoder, its head's parameters last in the
  /// store; nil for none.
  public let warmStart: EncoderWarmStart?

  public init(model: FlowModel, parameters: ParameterStore<Float>, dequantizer: VariationalDequantizer? = nil,
              warmStart: EncoderWarmStart? = nil) {
    self.model = model
    self.parameters = parameters
    self.dequantizer = dequantizer
    self.warmStart = warmStart
  }
}
