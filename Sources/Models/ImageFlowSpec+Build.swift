import Autodiff
import Flows
import TensorCore

extension ImageFlowSpec {
  /// Why examples of `eventShape` cannot be modelled, or nil when they can.
  public func problem(with eventShape: Shape) -> String? {
    architecture.problem(with: eventShape).map { "model.family \(family.rawValue): \($0)" }
  }

  /// Builds the model for images of `eventShape` [C, H, W], registering its parameters in order.
  /// Random structure (channel permutations, LU rotations) is drawn from `seed`, so every rank
  /// builds the same model. The base is N(0, I): learned priors are layers of the flow.
  public func build<S: TensorScalar>(eventShape: Shape, parameters: ParameterStore<S>, seed: UInt64) -> FlowModel {
    FlowModel(flow: architecture.build(eventShape: eventShape, parameters: parameters, seed: seed),
              base: StandardNormal(), eventShape: eventShape)
  }
}
