import Configuration
import Support
extension TrainerOptions {
  /// Reads the options from a trainer section; the learning-rate keys are those of
  /// `LearningRateSchedule(config:totalSteps:)` and the optimizer keys those of `OptimizerSettings`.
  /// ```yaml
  /// batch_size: 256            # global batch over all ranks (required)
  /// steps: 2000                # required
  /// seed: 0
  /// init_batch: 512            # actnorm init examples; default batch_size
  /// clip_norm: 5.0             # optional global-norm clipping
  /// ema_decay: 0.999           # optional parameter EMA
  /// log_every: 100
  /// eval_every: 0              # validation NLL every K steps; 0 = never
  /// eval_batch: 256            # default batch_size
  /// checkpoint_every: 500      # 0 = only at the end
  /// keep_checkpoints: 3
  /// max_nonfinite_in_a_row: 10
  /// step_timeout_s: 600        # abort the job when a step makes no progress this long; 0 = never
  /// reversible: false          # recompute activations with the layers' inverses in backward
  /// ```
  public init(config section: ConfigSection) throws(ConfigError) {
    let batch = try section.int("batch_size")
    let steps = try section.int("steps")
    let seed = try section.int("seed", default: 0)
    try section.check(batch > 0, "batch_size", "must be > 0")
    try section.check(steps > 0, "steps", "must be > 0")
    try section.check(seed >= 0, "seed", "must be >= 0")
    try Self.checkSizes(section, batch: batch, steps: steps)
    self.init(globalBatch: batch, steps: steps, seed: UInt64(seed),
              schedule: try LearningRateSchedule(config: section, totalSteps: steps))
    optimizer = try OptimizerSettings(config: section)
    initBatch = try section.int("init_batch", default: batch)
    clipNorm = try section.value("clip_norm", as: Double.self)
    emaDecay = try section.value("ema_decay", as: Double.self)
    logEvery = try section.int("log_every", default: logEvery)
    validationEvery = try section.int("eval_every", default: validationEvery)
    validationBatch = try section.int("eval_batch", default: batch)
    checkpointEvery = try section.int("checkpoint_every", default: checkpointEvery)
    keepCheckpoints = try section.int("keep_checkpoints", default: keepCheckpoints)
    maxNonFiniteInARow = try section.int("max_nonfinite_in_a_row", default: maxNonFiniteInARow)
    stepTimeout = try section.value("step_timeout_s", as: Double.self) ?? stepTimeout
    reversible = try section.bool("reversible", default: reversible)
    try checkRanges(section)
  }

  /// What no data set or model can make possible: a batch whose inputs and their gradients
  /// (8 bytes a scalar) overflow or outgrow memory, and more steps than the per-step loss and time
  /// history (16 bytes a step) can hold. The data-dependent bounds are `RunSpec.checkBatches`.
  private static func checkSizes(_ section: ConfigSection, batch: Int, steps: Int) throws(ConfigError) {
    try section.checkMemory(MemoryBudget.product([batch, 8]), "batch_size", for: "one step's inputs",
                            fix: "use a smaller batch (e.g. 256)")
    try section.checkMemory(MemoryBudget.product([steps, 16]), "steps", for: "the per-step loss and time history",
                            fix: "train fewer steps per run and continue with --resume auto")
  }

  private func checkRanges(_ section: ConfigSection) throws(ConfigError) {
    try section.check(initBatch > 0, "init_batch", "must be > 0")
    try section.check(clipNorm.map { $0 > 0 } ?? true, "clip_norm", "must be > 0 (omit it to disable clipping)")
    try section.check(emaDecay.map { (0..<1).contains($0) } ?? true, "ema_decay", "must be in [0, 1) (omit it to disable the EMA)")
    try section.check(logEvery > 0, "log_every", "must be > 0")
    try section.check(validationEvery >= 0, "eval_every", "must be >= 0 (0 disables validation)")
    try section.check(validationBatch > 0, "eval_batch", "must be > 0")
    // 0 stays "only the final checkpoint" (configs rely on it); the run says so in an info line
    // (`checkpointNote`) instead of accepting it silently (issue 11).
    try section.check(checkpointEvery >= 0, "checkpoint_every", "must be >= 0 (0 writes only the final checkpoint)")
    try section.check(keepCheckpoints > 0, "keep_checkpoints", "must be > 0")
    try section.check(maxNonFiniteInARow > 0, "max_nonfinite_in_a_row", "must be > 0")
    try section.check(stepTimeout >= 0, "step_timeout_s", "must be >= 0 (0 disables the step watchdog)")
  }
}
