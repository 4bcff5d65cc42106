import Autodiff
import Collectives
import TensorCore

extension FlowModel {
  /// `logLikelihoodWithLayers` with the flow recorded through `reversible`: the same values,
  /// and a backward pass that recomputes each layer's activations from the latent instead of
  /// keeping them. The condition encoder and the base stay ordinary ops of the tape.
  public func logLikelihoodWithLayers<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>? = nil, reversible: ReversibleBackprop<S>
  ) -> (logLikelihood: Variable<S>, layerLogAbsDets: [Variable<S>]) {
    let features = features(condition, batch: x.shape[0])
    let r = reversible.forward(flow, relative(x, to: condition), features: features)
    return (base.logProbability(r.output, condition: features) + r.logAbsDet, r.layerLogAbsDets)
  }

  /// `initializeDataDependent` walking the flow one layer at a time through `reversible`.
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, communicator: any Communicator, reversible: ReversibleBackprop<S>
  ) throws {
    try reversible.initializeDataDependent(flow, from: relative(x, to: condition),
                                           features: features(condition, batch: x.shape[0]),
                                           communicator: communicator)
  }
}
