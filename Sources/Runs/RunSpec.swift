import Autodiff
import Configuration
import Datasets
import Flows
import Models
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
    trainer = try TrainerOptions(config: config.section("trainer"))
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
    let conditionShape = data.conditionShape
    if let problem = model.problem(with: eventShape, conditionShape: conditionShape) {
      throw ConfigError("\(source): \(problem)")
    }
    let parameters = ParameterStore<Float>()
    let built = model.build(eventShape: eventShape, conditionShape: conditionShape, parameters: parameters,
                            seed: trainer.seed)
    return TrainableFlow(model: built, parameters: parameters)
  }

  static func stem(of path: String) -> String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    return file.split(separator: ".").first.map(String.init) ?? file
  }
}
