/// The counters of a run, identical on every rank, saved in checkpoints and broadcast on resume.
/// With the parameters, the optimizer state and the EMA they are everything a step depends on.
struct TrainingState: Codable, Equatable {
  /// Steps completed (skipped ones included); the next update is number `step` (0-based) of the
  /// learning-rate schedule.
  var step = 0
  /// Examples consumed since the start: the next global batch starts at this position of the
  /// concatenated per-epoch permutations.
  var cursor = 0
  var skippedSteps = 0
  var skippedInARow = 0
  /// Whether the data-dependent (actnorm) init has run.
  var dataDependentInitDone = false
}

/// One training step as seen by every rank after the all-reduce.
struct StepOutcome {
  /// False when some rank saw a non-finite loss or gradient: no update was applied.
  var applied: Bool
  /// Mean loss per example over the global batch (an NLL in nats for likelihoods).
  var loss: Double
  /// True when some rank asked to stop before this step: training ends after it.
  var stopRequested = false
  /// Global norm of the averaged gradient before clipping.
  var gradientNorm: Double
  var learningRate: Double
  /// Wall time of the step and of its all-reduces.
  var seconds: Double
  var allReduceSeconds: Double
}
