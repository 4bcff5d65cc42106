import Autodiff
import TensorCore

extension FlowModel {
  /// `logLikelihoodWithLayers` with the flow recorded through `reversible`: the same values,
  /// and a backward pass that recomputes each layer's activations from the latent instead of
  /// keeping them. The condition encoder and the base stay ordinary ops of the tape.
  public func logLikelihoodWithLayers<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>? = nil, reversible: ReversibleBackprop<S>
  ) -> (logLikelihood: Variable<S>, layerLogAbsDets: [Variable<S>]) {
    let features = features(condition, batch: x.shape[0])
    let r = reversible.forward(flow, x, features: features)
    return (base.logProbability(r.output, condition: features) + r.logAbsDet, r.layerLogAbsDets)
  }
}
