import Autodiff
import Collectives
import TensorCore

extension InvertibleFlowLayer {
  /// No data-dependent parameters: nothing to do.
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>, communicator: any Communicator
  ) throws {}
}

extension InvertibleFlowSequence {
  /// Pushes `x` (this rank's shard of the init batch) through the layers, initializing every
  /// data-dependent layer from the statistics of its own input, in order.
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>,
    communicator: any Communicator
  ) throws {
    var h = x
    for layer in layers {
      try layer.initializeDataDependent(from: h, condition: condition, parameters: parameters,
                                        communicator: communicator)
      h = layer.forward(h, condition: condition).output
    }
  }
}

extension FlowModel {
  /// The sequence's data-dependent initialization from `x` and its condition, which the layers
  /// see as they do in `logLikelihood`: through the condition encoder (and relative to the
  /// condition offset).
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>,
    communicator: any Communicator
  ) throws {
    try flow.initializeDataDependent(from: relative(x, to: condition), condition: features(condition, batch: x.shape[0]),
                                     parameters: parameters, communicator: communicator)
  }
}
