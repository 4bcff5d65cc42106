import Configuration
import Training
import VariationalTargets

/// The `evaluation` section of a VI config.
///
/// ```yaml
/// evaluation:
///   samples: 200000     # N draws from q for the ELBO, log Ẑ and the sample histogram
/// ```
public struct VariationalEvaluationSettings: Sendable, Equatable {
  public var samples: Int

  public init(samples: Int) {
    precondition(samples > 0, "evaluation needs at least one sample, got \(samples)")
    self.samples = samples
  }

  public init(config section: ConfigSection) throws(ConfigError) {
    samples = try section.int("samples", default: 100_000)
    try section.check(samples > 0, "samples", "must be > 0")
  }
}

/// A whole VI run as a config file describes it.
///
/// ```yaml
/// target: u1            # u1 | u2 | u3 | u4 | mixture
/// flow: {...}           # VariationalFlowSpec
/// trainer: {...}        # VariationalTrainerSettings
/// evaluation: {...}     # VariationalEvaluationSettings
/// ```
public struct VariationalRunSpec: Sendable, Equatable {
  public var target: VariationalTarget
  public var flow: VariationalFlowSpec
  public var trainer: VariationalTrainerSettings
  public var evaluation: VariationalEvaluationSettings

  public init(target: VariationalTarget, flow: VariationalFlowSpec, trainer: VariationalTrainerSettings,
              evaluation: VariationalEvaluationSettings) {
    self.target = target
    self.flow = flow
    self.trainer = trainer
    self.evaluation = evaluation
  }

  /// Reads every section and then rejects keys the run does not know.
  public init(config: Config) throws(ConfigError) {
    target = try config.root.choice("target", of: VariationalTarget.self)
    flow = try VariationalFlowSpec(config: config.section("flow"))
    trainer = try VariationalTrainerSettings(config: config.section("trainer"))
    evaluation = try VariationalEvaluationSettings(config: config.section("evaluation"))
    try config.rejectUnusedKeys()
  }
}
