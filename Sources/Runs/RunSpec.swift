import Autodiff
import Configuration
import Datasets
import Flows
import Models
import Support
import TensorCore
import Training

/// Everything a config file describes: data, model and trainer, read and checked in one go so
/// that a typo anywhere is reported before any work starts.
public struct RunSpec {
  public let config: Config
  /// The config file's stem, the default run name.
  public let name: String
  /// Where the config came from (a file path, or a checkpoint's stored config).
  public let source: String
  public let data: DataSpec
  public let model: ModelSpec
  public let trainer: TrainerOptions
  /// The `trainer` section, for errors that name its keys once the data is known.
  let trainerSection: ConfigSection

  /// Reads `path` with `--set` overrides; throws `ConfigError` naming the bad key.
  public init(path: String, overrides: [String] = []) throws {
    try self.init(config: Config.load(path: path, overrides: overrides), name: Self.stem(of: path), source: path)
  }

  public init(config: Config, name: String, source: String) throws {
    self.config = config
    self.name = name
    self.source = source
    data = try DataSpec(config: config.section("data"))
    model = try ModelSpec(config: config.section("model"))
    trainerSection = try config.section("trainer")
    trainer = try TrainerOptions(config: trainerSection)
    try config.rejectUnusedKeys()
  }

  /// A run as stored in a checkpoint's metadata (its resolved config text).
  public init(checkpoint: Checkpoint) throws {
    try self.init(config: Config(yaml: checkpoint.configText, source: "\(checkpoint.path) (stored config)"),
                  name: Self.stem(of: checkpoint.path), source: checkpoint.path)
  }

  /// The model with its parameters registered (not yet initialized) for `eventShape` examples
  /// with the data's conditions; throws when the model cannot take such examples (e.g. a vector
  /// family on images, or image sides that the levels cannot squeeze).
  public func buildModel(eventShape: Shape) throws(ConfigError) -> TrainableFlow {
    let conditionShape = data.conditionShape ?? model.conditionShape(for: eventShape)
    if let problem = model.problem(with: eventShape, conditionShape: conditionShape) {
      throw ConfigError("\(source): \(problem)")
    }
    let parameters = ParameterStore<Float>()
    let built = model.build(eventShape: eventShape, conditionShape: conditionShape,
                            conditionLevels: data.bins ?? 256, parameters: parameters, seed: trainer.seed)
    // q(u | x)'s parameters follow the model's in the same buffer, so they train, average and
    // checkpoint with it.
    let dequantizer = data.variationalDequantization.map {
      VariationalDequantizer("dequantizer", eventShape: eventShape, options: $0, parameters: parameters)
    }
    var warmStart: EncoderWarmStart?
    if case .superResolution(let spec) = model {
      warmStart = spec.warmStart(channels: eventShape[0], parameters: parameters)
    }
    return TrainableFlow(model: built, parameters: parameters, dequantizer: dequantizer, warmStart: warmStart)
  }

  /// Throws naming the trainer key whose batch cannot work on `training` over `ranks` ranks: a
  /// batch larger than the data set, or one whose activations per rank outgrow memory (values
  /// and gradients for training, values only for the init and validation passes).
  public func checkBatches(training: any ExampleSource, ranks: Int) throws(ConfigError) {
    let section = trainerSection
    try section.check(trainer.globalBatch <= training.count, "batch_size",
                      "must be at most the \(training.count) training examples")
    let perExample = model.activationsPerExample(eventShape: training.exampleShape)
    for (key, batch, bytes) in [("batch_size", trainer.globalBatch, 8), ("init_batch", trainer.initBatch, 4),
                                ("eval_batch", trainer.validationBatch, 4)] {
      let total = perExample.flatMap { MemoryBudget.product([max(1, batch / ranks), $0, bytes]) }
      try section.checkMemory(total, key, for: "one rank's activations of a batch",
                              fix: "use a smaller batch (e.g. 256) or more ranks")
    }
  }

  static func stem(of path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.split(separator: ".").first.map(String.init) ?? file
  }
}
