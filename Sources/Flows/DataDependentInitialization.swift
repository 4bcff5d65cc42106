import Autodiff
import Collectives
import TensorCore

/// A layer whose parameters are set from statistics of its input before training (actnorm).
///
/// This is an explicit collective step, never a side effect of `forward` (DESIGN §5): every rank
/// passes its shard of the init batch, the layer all-reduces sufficient statistics, and all ranks
/// compute the identical parameters.
public protocol DataDependentInitializable {
  func initialize<S: TensorScalar>(
    from x: Variable<S>, parameters: ParameterStore<S>, communicator: any Communicator) throws
}

extension FlowSequence {
  /// Pushes `x` (this rank's shard of the init batch) through the layers, initializing every
  /// data-dependent layer from the statistics of its own input, in order.
  public func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>,
    communicator: any Communicator
  ) throws {
    var h = x
    for layer in layers {
      if let initializable = layer as? any DataDependentInitializable {
        try initializable.initialize(from: h, parameters: parameters, communicator: communicator)
      }
      if let nested = layer as? FlowSequence {
        try nested.initializeDataDependent(from: h, condition: condition, parameters: parameters,
                                           communicator: communicator)
      } else if let nested = layer as? InvertibleFlowSequence {
        try FlowSequence(nested.layers).initializeDataDependent(
          from: h, condition: condition, parameters: parameters, communicator: communicator)
      }
      h = layer.forward(h, condition: condition).output
    }
  }
}
