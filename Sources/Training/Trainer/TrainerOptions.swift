/// Everything that shapes a training run except the model and the data.
///
/// Step numbers count completed updates (skipped steps included): "step 500" is the state after
/// 500 steps, which is what `ckpt-000500.safetensors` holds and what `metrics.jsonl` reports.
public struct TrainerOptions: Sendable {
  /// Examples per optimizer step over all ranks (B). Rank r of W computes positions
  /// r, r + W, … of each global batch, so B must be at least W.
  public var globalBatch: Int
  /// Train until this many steps are completed (a resumed run continues towards it).
  public var steps: Int
  /// Keys parameter initialization, the per-epoch data permutation and all noise.
  public var seed: UInt64
  /// Global number of examples for the data-dependent (actnorm) init before step 0.
  public var initBatch: Int
  public var optimizer: OptimizerSettings
  public var schedule: LearningRateSchedule
  /// Global-norm clipping of the averaged gradient; nil disables it.
  public var clipNorm: Double?
  /// Decay of an exponential moving average of the parameters; nil disables it.
  public var emaDecay: Double?
  /// Progress line and metrics record every this many steps.
  public var logEvery: Int
  /// Validation NLL every this many steps and at the end; 0 disables it.
  public var validationEvery: Int
  /// Global number of validation examples per forward pass.
  public var validationBatch: Int
  /// Checkpoint every this many steps (and always at the end); 0 writes only the final one.
  public var checkpointEvery: Int
  /// Number of checkpoints kept in the run directory; older ones are deleted.
  public var keepCheckpoints: Int
  /// Training stops when this many consecutive steps had a non-finite loss or gradient.
  public var maxNonFiniteInARow: Int
  /// Seconds a step (its collectives, validation and checkpoint included) may go without
  /// progress before a watchdog aborts the job; 0 disables the watchdog.
  public var stepTimeout: Double
  /// Reversible backprop: the backward pass recomputes each flow layer's input from its output
  /// with the layer's inverse instead of keeping every layer's activations, so activation memory
  /// no longer grows with depth, for about one more forward pass of compute per step
  /// (`ReversibleBackprop`). The loss and the gradients are those of the stored pass up to the
  /// flow's round-trip error; the gradient all-reduce of the flow's parameters then starts
  /// after backward instead of overlapping it. Likelihood training only.
  public var reversible: Bool

  public init(
    globalBatch: Int, steps: Int, seed: UInt64 = 0, initBatch: Int? = nil,
    optimizer: OptimizerSettings = OptimizerSettings(),
    schedule: LearningRateSchedule = LearningRateSchedule(peak: 1e-3),
    clipNorm: Double? = nil, emaDecay: Double? = nil, logEvery: Int = 100,
    validationEvery: Int = 0, validationBatch: Int? = nil, checkpointEvery: Int = 0,
    keepCheckpoints: Int = 3, maxNonFiniteInARow: Int = 10, stepTimeout: Double = 600, reversible: Bool = false
  ) {
    self.globalBatch = globalBatch
    self.steps = steps
    self.seed = seed
    self.initBatch = initBatch ?? globalBatch
    self.optimizer = optimizer
    self.schedule = schedule
    self.clipNorm = clipNorm
    self.emaDecay = emaDecay
    self.logEvery = logEvery
    self.validationEvery = validationEvery
    self.validationBatch = validationBatch ?? globalBatch
    self.checkpointEvery = checkpointEvery
    self.keepCheckpoints = keepCheckpoints
    self.maxNonFiniteInARow = maxNonFiniteInARow
    self.stepTimeout = stepTimeout
    self.reversible = reversible
  }

  /// The info line for `checkpoint_every: 0`, which writes only the final checkpoint; nil otherwise.
  public var checkpointNote: String? {
    guard checkpointEvery == 0 else { return nil }
    return "trainer.checkpoint_every is 0: only the final checkpoint (step \(steps)) is written, so a crash "
      + "loses the whole run; set it (e.g. --set trainer.checkpoint_every=1000) to write intermediate ones"
  }

  /// "510 or 512": the multiples of `ranks` on either side of `batch` (just the upper one below `ranks`).
  static func nearestMultiples(of ranks: Int, around batch: Int) -> String {
    let lower = batch / ranks * ranks
    return lower == 0 ? "\(ranks)" : "\(lower) or \(lower + ranks)"
  }

  /// Throws naming the first option that cannot work with `worldSize` ranks.
  func validate(worldSize: Int) throws(TrainerError) {
    func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(TrainerError) {
      if !condition { throw TrainerError(message()) }
    }
    try require(globalBatch >= worldSize, "the global batch (\(globalBatch)) is smaller than the "
                + "number of ranks (\(worldSize)); every rank needs at least one example: raise the batch size or use fewer ranks")
    // An uneven split would weight the ranks' examples differently from one rank's run of the
    // same batch; issue 11 counts accepting it silently as a finding, so it is an error.
    try require(globalBatch % worldSize == 0, "trainer.batch_size \(globalBatch) does not divide evenly over "
                + "\(worldSize) ranks; use \(Self.nearestMultiples(of: worldSize, around: globalBatch)), or another number of ranks")
    try require(initBatch >= worldSize, "the init batch (\(initBatch)) is smaller than the number of "
                + "ranks (\(worldSize)); raise it or use fewer ranks")
    try require(validationBatch >= worldSize, "the validation batch (\(validationBatch)) is smaller "
                + "than the number of ranks (\(worldSize)); raise it or use fewer ranks")
    try require(steps >= 0, "the step count \(steps) is negative")
    try require(logEvery > 0, "log_every (\(logEvery)) must be > 0")
    try require(validationEvery >= 0 && checkpointEvery >= 0,
                "eval_every and checkpoint_every must be >= 0 (0 disables them)")
    try require(keepCheckpoints > 0, "keep_checkpoints (\(keepCheckpoints)) must be > 0")
    try require(maxNonFiniteInARow > 0, "max_nonfinite_in_a_row (\(maxNonFiniteInARow)) must be > 0")
    try require(stepTimeout >= 0, "step_timeout_s (\(stepTimeout)) must be >= 0 (0 disables the watchdog)")
    try require(clipNorm.map { $0 > 0 } ?? true, "clip_norm (\(clipNorm ?? 0)) must be > 0")
    try require(emaDecay.map { (0..<1).contains($0) } ?? true, "ema_decay (\(emaDecay ?? 0)) must be in [0, 1)")
  }
}
