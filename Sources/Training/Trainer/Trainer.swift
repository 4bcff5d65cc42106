import Autodiff
import Collectives
import Datasets
import Flows
import TensorCore

/// Data-parallel training of any `TrainingObjective` (DESIGN §3, §5–§7).
///
/// Every rank builds the same objective and trainer and calls `train()`. The global batch B is
/// fixed; rank r of W computes positions r, r + W, … of each batch, so the examples of a step
/// do not depend on W. Each step all-reduces the flat gradient buffer once (bucketed, in place,
/// overlapped with backward) and the `StepStatistics` in a second small all-reduce; every decision (skip a non-finite
/// step, stop) is taken from reduced values, so all ranks take it together.
///
/// ```swift
/// let objective = try LikelihoodObjective(trainable: flow, training: data, validation: held,
///                                         options: options, communicator: comm)
/// let trainer = try Trainer(objective: objective, options: options,
///                           run: RunSetup(directory: "runs/moons", config: config, resume: .auto),
///                           communicator: comm, logger: Logger(communicator: comm))
/// let summary = try trainer.train()
/// ```
public final class Trainer<Objective: TrainingObjective> {
  public let objective: Objective
  public let options: TrainerOptions
  let run: RunSetup
  let communicator: any Communicator
  let logger: Logger
  let stopRequest: StopRequest

  let optimizer: any Optimizer
  var ema: ExponentialMovingAverage?
  /// One tape for every step and evaluation, reset each time, so steady-state steps reuse memory.
  let tape: Tape<Float>
  var state = TrainingState()
  var isPrepared = false
  var metrics: MetricsWriter?
  /// This session's TensorBoard event file; rank 0 only, nil elsewhere and without a run directory.
  var tensorBoard: TensorBoardWriter?
  /// The current step's sums, reduced over ranks.
  var statistics: StepStatistics
  /// The gradient all-reduce, started bucket by bucket during backward.
  var gradientReduction: GradientReduction

  public internal(set) var resumedFrom: String?
  public internal(set) var lastCheckpoint: String?
  /// The step `lastCheckpoint` holds, so a stop right after a scheduled save does not save twice.
  var lastCheckpointStep: Int?

  /// - Parameter stopRequest: polled before every step; `.onSignals()` for SIGTERM/SIGINT.
  public init(objective: Objective, options: TrainerOptions, run: RunSetup, communicator: any Communicator,
              logger: Logger, stopRequest: StopRequest = .never) throws {
    try options.validate(worldSize: communicator.size)
    self.objective = objective
    self.options = options
    self.run = run
    self.communicator = communicator
    self.logger = logger
    self.stopRequest = stopRequest
    optimizer = options.optimizer.makeOptimizer(parameterCount: objective.parameters.count)
    tape = Tape(parameters: objective.parameters)
    statistics = StepStatistics(terms: objective.termNames.count, layers: objective.layerNames.count)
    gradientReduction = GradientReduction(parameterCount: objective.parameters.count, buckets: communicator.buckets)
  }

  public var parameters: ParameterStore<Float> { objective.parameters }
  /// Steps completed so far.
  public var step: Int { state.step }
  /// Steps skipped for a non-finite loss or gradient, over the whole run.
  public var skippedSteps: Int { state.skippedSteps }
  /// Whether the data-dependent (actnorm) init has run, here or before the checkpoint resumed.
  public var dataDependentInitDone: Bool { state.dataDependentInitDone }

  /// Where step `state.step` is and which examples this rank computes.
  var context: StepContext {
    StepContext(step: state.step, cursor: state.cursor,
                shard: BatchShard(rank: communicator.rank, worldSize: communicator.size, batchSize: options.globalBatch),
                seed: options.seed)
  }

  /// Trains until `options.steps` steps are completed, then writes the final checkpoint.
  ///
  /// Throws a `TrainerError` (on every rank) when ranks disagree on the config or parameters,
  /// a checkpoint cannot be resumed or written, or `maxNonFiniteInARow` steps in a row were
  /// skipped; the last good checkpoint is then left as it was. Throws `TrainingInterrupted`
  /// after saving a checkpoint when some rank's `stopRequest` asked to stop. A watchdog aborts
  /// the job when a step makes no progress for `options.stepTimeout` seconds.
  public func train() throws -> TrainingSummary {
    let watchdog = try startWatchdog()
    defer { watchdog?.stop() }
    try prepare()
    var summary = TrainingSummary(firstStep: state.step, finalStep: state.step, skippedSteps: state.skippedSteps,
                                  resumedFrom: resumedFrom)
    var timing = StepTiming(expectedSteps: options.steps - state.step)
    var window = LogWindow(terms: statistics.termCount, layers: statistics.layerCount, globalBatch: options.globalBatch)
    summary.stepLosses.reserveCapacity(StepTiming.reservation(forSteps: options.steps - state.step))
    while state.step < options.steps {
      watchdog?.beat(state.step)
      let outcome = try runStep()
      summary.stepLosses.append(outcome.applied ? outcome.loss : .nan)
      timing.record(outcome)
      window.add(outcome, statistics: statistics)
      if !outcome.applied { try reportSkippedStep() }
      try afterStep(window: &window, summary: &summary)
      if outcome.stopRequested { try stopOnRequest() }
    }
    summary.finalStep = state.step
    summary.skippedSteps = state.skippedSteps
    summary.lastCheckpoint = lastCheckpoint
    timing.fill(&summary, globalBatch: options.globalBatch)
    return summary
  }

  /// Validation, logging and checkpoints due after the step just completed.
  private func afterStep(window: inout LogWindow, summary: inout TrainingSummary) throws {
    let s = state.step, last = s == options.steps
    var validationNLL: Double? = nil
    if options.validationEvery > 0, s % options.validationEvery == 0 || last,
       let nll = try objective.validate(communicator: communicator) {
      validationNLL = nll
      summary.lastValidationNatsPerDimension = nll
      summary.bestValidationNatsPerDimension = min(summary.bestValidationNatsPerDimension ?? .infinity, nll)
      try writeBestCheckpoint(ifValidationImprovedTo: nll)
    }
    if s % options.logEvery == 0 || last {
      if let loss = window.meanLoss {
        summary.finalTrainLoss = loss
        summary.finalTrainNatsPerDimension = loss / Double(objective.dimensions)
      }
      try log(window, validation: validationNLL,
              roundTrip: objective.roundTripError(on: tape, communicator: communicator))
      window = LogWindow(terms: statistics.termCount, layers: statistics.layerCount, globalBatch: options.globalBatch)
    } else if let validationNLL {
      try logValidation(validationNLL)
    }
    if (options.checkpointEvery > 0 && s % options.checkpointEvery == 0) || last {
      try writeCheckpoint()
    }
  }
}
