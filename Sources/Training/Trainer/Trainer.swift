import Autodiff
import Collectives
import Datasets
import Flows
import TensorCore

/// Data-parallel maximum-likelihood training of a `FlowModel` (DESIGN §5–§7).
///
/// Every rank builds the same model and trainer and calls `train()`. The global batch B is
/// fixed; rank r of W computes positions r, r + W, … of each batch, so the examples of a step
/// do not depend on W. Each step all-reduces the flat gradient buffer once (bucketed, in place)
/// and a few statistics in a second small all-reduce; every decision (skip a non-finite step,
/// stop) is taken from reduced values, so all ranks take it together.
///
/// ```swift
/// let trainer = try Trainer(model: model, parameters: store, training: data, validation: held,
///                           options: try TrainerOptions(config: config.section("trainer")),
///                           run: RunSetup(directory: "runs/moons", config: config, resume: .auto),
///                           communicator: comm, logger: Logger(communicator: comm))
/// let summary = try trainer.train()
/// ```
/// Discrete data (images) pass a `Dequantization`: the trainer dequantizes each batch with the
/// noise of its step, and every reported loss is −log P(x) of the discrete data in nats, all
/// constants and preprocessing log-dets included, so bits/dim = loss / (D·ln 2) (DESIGN §2).
public final class Trainer {
  public let model: FlowModel
  public let parameters: ParameterStore<Float>
  public let options: TrainerOptions
  let training: any ExampleSource
  let validation: (any ExampleSource)?
  /// Applied to every batch the model sees (training, init, validation); nil for continuous data.
  public let preprocessing: Dequantization?
  let run: RunSetup
  let communicator: any Communicator
  let logger: Logger

  let optimizer: any Optimizer
  var ema: ExponentialMovingAverage?
  let sampler: EpochSampler
  /// One tape for every step and evaluation, reset each time, so steady-state steps reuse memory.
  let tape: Tape<Float>
  let evaluator: DatasetEvaluator
  var state = TrainingState()
  var isPrepared = false
  var metrics: MetricsWriter?
  /// Names of the top-level flow layers, `<index>.<type>`, for the log-determinant statistics.
  let layerNames: [String]

  // Step buffers, sized once.
  /// This rank's dataset indices of the current batch.
  var shardIndices: [Int] = []
  /// [shard, event…] this rank's examples.
  var batch: [Float]
  let batchShape: Shape
  var perLayer: [Variable<Float>] = []
  /// [shard] each example's preprocessing log-determinant.
  var preprocessingLogDets: [Double]
  /// [Σ log p, non-finite flag, Σ logAbsDet per layer…]: summed over ranks in one small all-reduce.
  var statistics: [Double]

  public internal(set) var resumedFrom: String?
  public internal(set) var lastCheckpoint: String?

  public init(
    model: FlowModel, parameters: ParameterStore<Float>, training: any ExampleSource,
    validation: (any ExampleSource)? = nil, preprocessing: Dequantization? = nil, options: TrainerOptions,
    run: RunSetup, communicator: any Communicator, logger: Logger
  ) throws {
    try options.validate(worldSize: communicator.size)
    for (name, source) in [("training", training)] + (validation.map { [("validation", $0)] } ?? []) {
      guard source.exampleShape == model.eventShape else {
        throw TrainerError("the \(name) examples have shape \(source.exampleShape) but the model expects "
                           + "\(model.eventShape); check the data file against the model's input shape")
      }
      guard source.count > 0 else { throw TrainerError("the \(name) data set is empty") }
    }
    self.model = model
    self.parameters = parameters
    self.options = options
    self.training = training
    self.validation = validation
    self.preprocessing = preprocessing
    self.run = run
    self.communicator = communicator
    self.logger = logger
    optimizer = options.optimizer.makeOptimizer(parameterCount: parameters.count)
    sampler = EpochSampler(exampleCount: training.count, seed: options.seed)
    tape = Tape(parameters: parameters)
    evaluator = DatasetEvaluator(model: model, parameters: parameters, communicator: communicator,
                                 batch: options.validationBatch, preprocessing: preprocessing, seed: options.seed)
    layerNames = model.flow.layers.enumerated().map { "\($0.offset).\(type(of: $0.element))" }
    let shard = EpochSampler.shardCount(globalBatch: options.globalBatch, rank: communicator.rank,
                                        size: communicator.size)
    batch = [Float](repeating: 0, count: shard * model.dimensions)
    batchShape = Shape([shard] + model.eventShape.dimensions)
    statistics = [Double](repeating: 0, count: 2 + layerNames.count)
    preprocessingLogDets = [Double](repeating: 0, count: shard)
    shardIndices.reserveCapacity(shard)
    perLayer.reserveCapacity(layerNames.count)
  }

  /// Steps completed so far.
  public var step: Int { state.step }
  /// Steps skipped for a non-finite loss or gradient, over the whole run.
  public var skippedSteps: Int { state.skippedSteps }
  /// Whether the data-dependent (actnorm) init has run, here or before the checkpoint resumed.
  public var dataDependentInitDone: Bool { state.dataDependentInitDone }

  /// Trains until `options.steps` steps are completed, then writes the final checkpoint.
  ///
  /// Throws a `TrainerError` (on every rank) when ranks disagree on the config or parameters,
  /// a checkpoint cannot be resumed or written, or `maxNonFiniteInARow` steps in a row were
  /// skipped; the last good checkpoint is then left as it was.
  public func train() throws -> TrainingSummary {
    try prepare()
    var summary = TrainingSummary(firstStep: state.step, finalStep: state.step, skippedSteps: state.skippedSteps,
                                  resumedFrom: resumedFrom)
    var timing = StepTiming(expectedSteps: options.steps - state.step)
    var window = LogWindow(layers: layerNames.count)
    while state.step < options.steps {
      let outcome = try runStep()
      timing.record(outcome)
      window.add(outcome, statistics: statistics)
      if !outcome.applied { try reportSkippedStep() }
      try afterStep(window: &window, summary: &summary)
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
    if let validation, options.validationEvery > 0, s % options.validationEvery == 0 || last {
      let nll = try evaluate(validation).natsPerDimension
      validationNLL = nll
      summary.lastValidationNatsPerDimension = nll
      summary.bestValidationNatsPerDimension = min(summary.bestValidationNatsPerDimension ?? .infinity, nll)
      try writeBestCheckpoint(ifValidationImprovedTo: nll)
    }
    if s % options.logEvery == 0 || last {
      if let loss = window.meanLoss {
        summary.finalTrainLoss = loss
        summary.finalTrainNatsPerDimension = loss / Double(model.dimensions)
      }
      try log(window, validation: validationNLL, roundTrip: roundTripError())
      window = LogWindow(layers: layerNames.count)
    } else if let validationNLL {
      try logValidation(validationNLL)
    }
    if (options.checkpointEvery > 0 && s % options.checkpointEvery == 0) || last {
      try writeCheckpoint()
    }
  }

  /// Counts nothing (the step did that); warns, and stops the run after too many in a row.
  private func reportSkippedStep() throws {
    logger.warning("step \(state.step): non-finite loss or gradient on some rank; update skipped "
                   + "(\(state.skippedInARow) in a row, \(state.skippedSteps) in total)")
    guard state.skippedInARow >= options.maxNonFiniteInARow else { return }
    var message = "stopped at step \(state.step): \(state.skippedInARow) steps in a row had a non-finite loss "
      + "or gradient (limit max_nonfinite_in_a_row = \(options.maxNonFiniteInARow)). "
    if let good = lastCheckpoint ?? resumedFrom { message += "The last good checkpoint, \(good), is intact. " }
    throw TrainerError(message + "Check the data for NaN/Inf, lower the learning rate or enable clip_norm, then resume.")
  }
}
