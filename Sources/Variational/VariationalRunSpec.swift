import Configuration
import Support
import Models
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
    // Every sample keeps its index and log-weight (8 bytes each) until the estimates are formed.
    try section.checkMemory(MemoryBudget.product([samples, 16]), "samples", for: "the samples' log-weights",
                            fix: "use fewer samples, e.g. 200000")
  }
}

/// A whole VI run as a config file describes it.
///
/// ```yaml
/// target: u1            # u1 | u2 | u3 | u4 | mixture
/// model: {...}          # VariationalFlowSpec
/// trainer: {...}        # TrainerOptions, plus the annealing of the energy:
///   anneal_steps: 600   #   β goes from anneal_from to 1 over these steps; 0 = off (default steps/5)
///   anneal_from: 0.01
/// evaluation: {...}     # VariationalEvaluationSettings
/// ```
public struct VariationalRunSpec: Sendable {
  public var target: VariationalTarget
  public var flow: VariationalFlowSpec
  public var trainer: TrainerOptions
  public var annealing: BetaAnnealing
  public var evaluation: VariationalEvaluationSettings

  public init(target: VariationalTarget, flow: VariationalFlowSpec, trainer: TrainerOptions,
              annealing: BetaAnnealing = .none, evaluation: VariationalEvaluationSettings) {
    self.target = target
    self.flow = flow
    self.trainer = trainer
    self.annealing = annealing
    self.evaluation = evaluation
  }

  /// Reads every section and then rejects keys the run does not know.
  public init(config: Config) throws(ConfigError) {
    target = try config.root.choice("target", of: VariationalTarget.self)
    flow = try VariationalFlowSpec(config: config.section("model"))
    let section = try config.section("trainer")
    trainer = try TrainerOptions(config: section)
    // Reversible backprop recomputes a density-direction flow's activations from its latent;
    // these flows train through samples (planar layers have no inverse at all).
    try section.check(!trainer.reversible, "reversible", "is not supported by variational inference: the "
                      + "\(flow.family.rawValue) flow trains in the sampling direction"
                      + (flow.family == .planar ? " and planar layers have no inverse" : "")
                      + ", so its activations cannot be recomputed; set trainer.reversible: false")
    let annealSteps = try section.int("anneal_steps", default: trainer.steps / 5)
    let annealFrom = try section.double("anneal_from", default: 0.01)
    try section.check(annealSteps >= 0, "anneal_steps", "must be >= 0 (0 turns annealing off)")
    try section.check(annealFrom > 0 && annealFrom <= 1, "anneal_from", "must be in (0, 1]")
    annealing = BetaAnnealing(initialBeta: annealFrom, steps: annealSteps)
    evaluation = try VariationalEvaluationSettings(config: config.section("evaluation"))
    try config.rejectUnusedKeys()
  }
}
