import Datasets
import Support

/// The training state a checkpoint stores besides its tensors, as `__metadata__` strings.
///
/// Random numbers need no saved generator state: every stream is a pure function of the seed
/// and a counter (the epoch for the data permutation, the step and example index for noise;
/// see `RandomStream`), so `seed` and the step and data cursor in `training` are the RNG state.
struct CheckpointMetadata: Equatable {
  static let format = "laminar.checkpoint"
  static let formatVersion = 1

  /// The run's counters (step, data cursor, skipped steps, actnorm flag), exactly as the trainer
  /// keeps them.
  var training: TrainingState
  var step: Int { training.step }
  /// Data cursor / dataset count at save time; informational.
  var epoch: Int
  var seed: UInt64
  var globalBatch: Int
  var worldSize: Int
  /// Canonical YAML of the run's config.
  var configText: String
  /// Shape of one training example.
  var exampleShape: [Int]
  var optimizer: OptimizerKind
  var optimizerSteps: Int
  /// Number of EMA updates, nil when the run kept no EMA.
  var emaUpdates: Int?
  /// Validation NLL per dimension at this step, when the run evaluated one (the best checkpoint
  /// carries the figure it won with).
  var validationNatsPerDimension: Double? = nil

  var strings: [String: String] {
    var m: [String: String] = [
      "format": Self.format, "format_version": String(Self.formatVersion),
      "step": String(training.step), "data_cursor": String(training.cursor), "epoch": String(epoch),
      "seed": String(seed), "rng": "philox4x32-10, stateless: streams keyed by (seed, purpose, epoch or step), offsets by example index",
      "global_batch": String(globalBatch), "world_size": String(worldSize), "config": configText,
      "example_shape": exampleShape.map(String.init).joined(separator: ","),
      "actnorm_initialized": String(training.dataDependentInitDone), "optimizer": optimizer.rawValue,
      "optimizer_steps": String(optimizerSteps), "skipped_steps": String(training.skippedSteps),
      "skipped_in_a_row": String(training.skippedInARow),
    ]
    if let emaUpdates { m["ema_updates"] = String(emaUpdates) }
    if let validationNatsPerDimension { m["validation_nats_per_dim"] = String(validationNatsPerDimension) }
    return m
  }

  /// Parses the strings written by `strings`; `path` names the file in errors.
  init(_ m: [String: String], path: String) throws(DataFileError) {
    guard m["format"] == Self.format else {
      throw DataFileError(path: path, "not a laminar checkpoint (__metadata__ 'format' is \(m["format"].map { "'\($0)'" } ?? "missing"))")
    }
    let r = MetadataReader(strings: m, path: path)
    let version = try r.integer("format_version")
    guard version == Self.formatVersion else {
      throw DataFileError(path: path, "checkpoint format version \(version) is not supported (this laminar reads version "
                          + "\(Self.formatVersion)); use the laminar version that wrote it")
    }
    training = TrainingState(step: try r.integer("step"), cursor: try r.integer("data_cursor"))
    epoch = try r.integer("epoch")
    seed = try r.parsed("seed", "an unsigned integer") { UInt64($0) }
    globalBatch = try r.integer("global_batch")
    worldSize = try r.integer("world_size")
    configText = try r.field("config")
    exampleShape = try r.parsed("example_shape", "a comma-separated shape") { text in
      let dims = text.split(separator: ",").compactMap { Int($0) }
      return !dims.isEmpty && dims.count == text.split(separator: ",").count ? dims : nil
    }
    training.dataDependentInitDone = try r.parsed("actnorm_initialized", "true or false") { Bool($0) }
    optimizer = try r.parsed("optimizer", OptimizerKind.allCases.map(\.rawValue).joined(separator: " or ")) {
      OptimizerKind(rawValue: $0)
    }
    optimizerSteps = try r.integer("optimizer_steps")
    emaUpdates = m["ema_updates"] == nil ? nil : try r.integer("ema_updates")
    training.skippedSteps = try r.integer("skipped_steps")
    training.skippedInARow = try r.integer("skipped_in_a_row")
    validationNatsPerDimension = m["validation_nats_per_dim"] == nil
      ? nil : try r.parsed("validation_nats_per_dim", "a number") { Double($0) }
  }

  init(training: TrainingState, epoch: Int, seed: UInt64, globalBatch: Int, worldSize: Int,
       configText: String, exampleShape: [Int], optimizer: OptimizerKind, optimizerSteps: Int,
       emaUpdates: Int?) {
    self.training = training
    self.epoch = epoch
    self.seed = seed
    self.globalBatch = globalBatch
    self.worldSize = worldSize
    self.configText = configText
    self.exampleShape = exampleShape
    self.optimizer = optimizer
    self.optimizerSteps = optimizerSteps
    self.emaUpdates = emaUpdates
  }
}

/// Typed reads of `__metadata__` strings with messages that name the file and the key.
private struct MetadataReader {
  let strings: [String: String]
  let path: String

  func field(_ key: String) throws(DataFileError) -> String {
    guard let value = strings[key] else {
      throw DataFileError(path: path, "__metadata__ has no '\(key)'; the file is not a complete laminar checkpoint")
    }
    return value
  }

  /// `key` converted by `parse`; `expected` describes a valid value in the error.
  func parsed<T>(_ key: String, _ expected: String, _ parse: (String) -> T?) throws(DataFileError) -> T {
    let text = try field(key)
    guard let value = parse(text) else {
      throw DataFileError(path: path, "__metadata__ '\(key)' is '\(text)', not \(expected); the file is corrupted")
    }
    return value
  }

  func integer(_ key: String) throws(DataFileError) -> Int {
    try parsed(key, "a non-negative integer") { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
  }
}
