/// What a call to `Trainer.train()` did, for the command line and benchmarks.
public struct TrainingSummary: Sendable {
  /// The step the call started from (0, or the step of the resumed checkpoint).
  public var firstStep: Int
  /// Steps completed at the end (`TrainerOptions.steps`).
  public var finalStep: Int
  /// Mean training NLL per example in nats over the last logging window; nil when no step
  /// ran (or all of them were skipped).
  public var finalTrainLoss: Double?
  /// `finalTrainLoss` per dimension.
  public var finalTrainNatsPerDimension: Double?
  /// Validation NLL in nats per dimension at the last evaluation of this call.
  public var lastValidationNatsPerDimension: Double?
  /// The lowest validation NLL per dimension seen during this call.
  public var bestValidationNatsPerDimension: Double?
  /// Steps skipped for a non-finite loss or gradient over the whole run (resumed runs included).
  public var skippedSteps: Int
  /// Mean wall time per step, excluding the first step of the call (warm-up), validation,
  /// logging and checkpoints; nil when fewer than two steps ran.
  public var millisecondsPerStep: Double?
  /// Median wall time per step over the same steps: robust to a shared machine's hiccups.
  public var medianMillisecondsPerStep: Double?
  /// Global batch / mean step time.
  public var samplesPerSecond: Double?
  /// Fraction of the step time spent in the gradient and statistics all-reduces.
  public var allReduceShare: Double?
  /// The checkpoint this call resumed from.
  public var resumedFrom: String?
  /// Each step's mean loss over the global batch, from `firstStep` on (NaN for skipped steps).
  public var stepLosses: [Double] = []
  /// The last checkpoint this call wrote.
  public var lastCheckpoint: String?

  public var stepsRun: Int { finalStep - firstStep }
}
