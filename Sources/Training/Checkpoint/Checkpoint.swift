import Autodiff
import Datasets
import TensorCore

/// A laminar checkpoint opened for use outside training (`laminar eval`, `sample`, `inspect`):
/// the checksum and metadata are verified on open.
public struct Checkpoint {
  private let verified: VerifiedCheckpoint

  public init(contentsOf path: String) throws {
    verified = try VerifiedCheckpoint(path: path)
  }

  public var path: String { verified.path }
  /// Steps completed when it was saved.
  public var step: Int { verified.metadata.step }
  public var epoch: Int { verified.metadata.epoch }
  /// Ranks of the run that saved it.
  public var worldSize: Int { verified.metadata.worldSize }
  /// The run's resolved config (canonical YAML), from which the model can be rebuilt.
  public var configText: String { verified.metadata.configText }
  /// Shape of one training example.
  public var exampleShape: [Int] { verified.metadata.exampleShape }
  /// Whether it holds an EMA of the parameters (`ema.<name>`).
  public var hasAverage: Bool { verified.metadata.emaUpdates != nil }
  /// The validation NLL per dimension recorded with this checkpoint (set on `best.safetensors`).
  public var validationNatsPerDimension: Double? { verified.metadata.validationNatsPerDimension }
  /// Every `__metadata__` string, the checksum included.
  public var metadata: [String: String] { verified.file.metadata }
  /// Every tensor, in file order.
  public var tensors: [SafetensorsEntry] { verified.file.entries }

  /// Copies the parameters (or, with `averaged`, their EMA) into `parameters`, bit for bit.
  /// Throws naming the mismatch when the store's names or shapes differ from the checkpoint's.
  public func loadParameters(into parameters: ParameterStore<Float>, averaged: Bool = false) throws {
    try CheckpointFile.checkLayout(verified.file, matches: parameters)
    guard averaged else { return try CheckpointFile.restoreParameters(from: verified.file, into: parameters) }
    guard hasAverage else {
      throw TrainerError("\(path) holds no EMA of the parameters (the run kept none); load the plain parameters")
    }
    for slice in parameters.slices {
      try verified.file.copy(CheckpointFile.emaPrefix + slice.name, into: parameters.values(of: slice))
    }
  }
}
