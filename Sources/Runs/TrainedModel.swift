import Autodiff
import Datasets
import Support
import Flows
import TensorCore
import Training

/// A model rebuilt from a checkpoint: the stored config describes the architecture, the tensors
/// fill its parameters.
public struct TrainedModel {
  public let checkpoint: Checkpoint
  public let spec: RunSpec
  public let trainable: TrainableFlow

  /// `averaged` loads the EMA copy of the parameters when the checkpoint has one.
  public init(checkpoint path: String, averaged: Bool = false) throws {
    checkpoint = try Checkpoint(contentsOf: path)
    spec = try RunSpec(checkpoint: checkpoint)
    trainable = try spec.buildModel(eventShape: Shape(checkpoint.exampleShape))
    try checkpoint.loadParameters(into: trainable.parameters, averaged: averaged)
  }

  public var model: FlowModel { trainable.model }

  /// The standardization the model was trained under (refitted from the training file, as the
  /// trainer did), or nil for raw data.
  public func standardization() throws -> Standardization? {
    guard spec.data.source == .npy, spec.data.scaling == .fitted else { return nil }
    return try NpyExampleSource(path: spec.data.trainPath!, standardize: .fitted).standardization
  }

  /// Examples from a `.npy` file prepared the way the training data was (same standardization);
  /// throws when its rows do not have the model's shape.
  public func examples(fromFile path: String) throws -> NpyExampleSource {
    let source = try NpyExampleSource(path: path, standardize: standardization().map { .given($0) } ?? .raw)
    guard source.exampleShape == model.eventShape else {
      throw DataFileError(path: path, "rows have shape \(source.exampleShape) but the model was trained on "
                          + "\(model.eventShape); pass data with the training data's columns")
    }
    return source
  }
}
