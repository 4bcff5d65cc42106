import Configuration
import Training

/// The `trainer` section of a VI config.
///
/// ```yaml
/// trainer:
///   steps: 3000
///   batch_size: 256          # global batch, split over the ranks
///   seed: 1                  # parameter init and every z₀ draw
///   log_every: 250
///   lr: 5e-3                 # plus warmup_steps, decay, lr_floor (LearningRateSchedule)
///   optimizer: adam          # plus beta1, beta2, epsilon, weight_decay (OptimizerSettings)
///   clip_norm: 10            # global-norm clipping; absent = off
///   anneal_steps: 600        # β goes from anneal_from to 1 over these steps; 0 = off
///   anneal_from: 0.01        # default steps/5 and 0.01
///   max_nonfinite_steps: 10  # stop after this many skipped steps in a row
/// ```
public struct VariationalTrainerSettings: Sendable, Equatable {
  public var steps: Int
  public var batchSize: Int
  public var seed: Int
  public var logEvery: Int
  public var schedule: LearningRateSchedule
  public var optimizer: OptimizerSettings
  public var clipNorm: Double?
  public var annealing: BetaAnnealing
  public var maxNonFiniteSteps: Int

  public init(steps: Int, batchSize: Int, seed: Int = 1, logEvery: Int = 100,
              schedule: LearningRateSchedule, optimizer: OptimizerSettings = OptimizerSettings(),
              clipNorm: Double? = nil, annealing: BetaAnnealing = .none, maxNonFiniteSteps: Int = 10) {
    precondition(steps >= 0 && batchSize > 0 && logEvery > 0 && maxNonFiniteSteps > 0,
                 "need steps ≥ 0, batch size, log interval and non-finite limit > 0")
    self.steps = steps
    self.batchSize = batchSize
    self.seed = seed
    self.logEvery = logEvery
    self.schedule = schedule
    self.optimizer = optimizer
    self.clipNorm = clipNorm
    self.annealing = annealing
    self.maxNonFiniteSteps = maxNonFiniteSteps
  }

  public init(config section: ConfigSection) throws(ConfigError) {
    steps = try section.int("steps")
    batchSize = try section.int("batch_size", default: 256)
    seed = try section.int("seed", default: 1)
    logEvery = try section.int("log_every", default: 100)
    try section.check(steps > 0, "steps", "must be > 0")
    try section.check(batchSize > 0, "batch_size", "must be > 0")
    try section.check(seed >= 0, "seed", "must be >= 0")
    try section.check(logEvery > 0, "log_every", "must be > 0")
    schedule = try LearningRateSchedule(config: section, totalSteps: steps)
    optimizer = try OptimizerSettings(config: section)
    clipNorm = try section.value("clip_norm", as: Double.self)
    try section.check(clipNorm.map { $0 > 0 } ?? true, "clip_norm", "must be > 0 (leave it out to turn clipping off)")
    let annealSteps = try section.int("anneal_steps", default: steps / 5)
    let annealFrom = try section.double("anneal_from", default: 0.01)
    try section.check(annealSteps >= 0, "anneal_steps", "must be >= 0 (0 turns annealing off)")
    try section.check(annealFrom > 0 && annealFrom <= 1, "anneal_from", "must be in (0, 1]")
    annealing = BetaAnnealing(initialBeta: annealFrom, steps: annealSteps)
    maxNonFiniteSteps = try section.int("max_nonfinite_steps", default: 10)
    try section.check(maxNonFiniteSteps > 0, "max_nonfinite_steps", "must be > 0")
  }
}
