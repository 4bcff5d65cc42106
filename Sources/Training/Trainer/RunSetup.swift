import Configuration
/// Where a run keeps its files, the config it was started with, and whether to resume.
public struct RunSetup: Sendable {
  /// Checkpoints and `metrics.jsonl` go here (created on rank 0 if missing); nil writes neither
  /// (benchmarks, quick experiments).
  public var directory: String?
  /// The resolved config as canonical YAML (`Config.canonicalText`), stored in every checkpoint.
  public var configText: String
  /// `Config.canonicalHash`; compared across ranks before anything else happens.
  public var configHash: UInt64
  public var resume: ResumeRequest
  /// Top-level config sections that must be identical in a checkpoint being resumed
  /// (the model's architecture); every other key, such as `trainer.steps`, may change.
  public var matchingSections: [String]

  public init(directory: String?, configText: String, configHash: UInt64,
              resume: ResumeRequest = .none, matchingSections: [String] = ["model"]) {
    self.directory = directory
    self.configText = configText
    self.configHash = configHash
    self.resume = resume
    self.matchingSections = matchingSections
  }

  /// The setup for a config that has been read completely (its canonical text is final).
  public init(directory: String?, config: Config, resume: ResumeRequest = .none,
              matchingSections: [String] = ["model"]) {
    self.init(directory: directory, configText: config.canonicalText, configHash: config.canonicalHash,
              resume: resume, matchingSections: matchingSections)
  }
}

/// `--resume`: start fresh, continue from the newest valid checkpoint, or from one file.
public enum ResumeRequest: Equatable, Sendable {
  case none
  /// The newest checkpoint in the run directory whose checksum verifies; older ones are tried
  /// when newer ones fail, and a run directory without checkpoints starts fresh.
  case auto
  case path(String)

  /// `auto` or a path, as given on the command line.
  public init(argument: String) {
    self = argument == "auto" ? .auto : .path(argument)
  }
}
