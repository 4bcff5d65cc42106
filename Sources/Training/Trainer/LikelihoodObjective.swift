import Autodiff
import Collectives
import Datasets
import Flows
import TensorCore

/// Maximum likelihood of a flow on a data set: −log p(x) of examples, or −log p(x | c) of
/// (example, condition) pairs when the source has conditions and the model reads them.
///
/// ```
/// loss_r = −Σ_{i ∈ shard r} log p(x_i | c_i) / B
/// ```
/// Discrete data (images) pass a `Dequantization`: each batch is dequantized with the noise of
/// its step, and every reported loss is −log P(x) of the discrete data in nats, all constants
/// and preprocessing log-dets included, so bits/dim = loss / (D·ln 2) (DESIGN §2). They do not
/// depend on the parameters, so the back-propagated loss leaves them out. Under variational
/// dequantization the loss is the dequantization ELBO's −E_q[log p(y') − log q(u | x)] + D·ln(bins),
/// and q's parameters train with the model's. During an encoder warm start (`EncoderWarmStart`)
/// the likelihood is still reported but only the warm start's L1 error trains. Image training
/// batches may also be shifted (`augmentation`, keyed by step and example like the noise);
/// validation never is.
public final class LikelihoodObjective: TrainingObjective {
  public let trainable: TrainableFlow
  public let training: any ExampleSource
  public let validation: (any ExampleSource)?
  public let preprocessing: Dequantization?
  /// Random shifts of the training images; nil for none.
  public let augmentation: ShiftAugmentation?
  let sampler: EpochSampler
  /// Global number of examples of the actnorm init before step 0.
  let initBatch: Int
  /// This rank's examples of the current step.
  let batch: LikelihoodBatch
  private var shardIndices: [Int] = []
  let evaluator: DatasetEvaluator
  /// Recomputes the flow's activations in backward (`trainer.reversible`); nil keeps them.
  private let reversible: ReversibleBackprop<Float>?
  private let seed: UInt64
  /// Examples per rank in the round-trip health check.
  static let roundTripExamples = 8

  public init(trainable: TrainableFlow, training: any ExampleSource, validation: (any ExampleSource)? = nil,
              preprocessing: Dequantization? = nil, augmentation: ShiftAugmentation? = nil,
              options: TrainerOptions, communicator: any Communicator) throws {
    try options.validate(worldSize: communicator.size)
    if let augmentation { try Self.check(augmentation, imageShape: trainable.model.eventShape) }
    for (name, source) in [("training", training)] + (validation.map { [("validation", $0)] } ?? []) {
      try DatasetEvaluator.check(source, against: trainable.model, role: name)
      guard source.count > 0 else { throw TrainerError("the \(name) data set is empty") }
    }
    self.trainable = trainable
    self.training = training
    self.validation = validation
    self.preprocessing = preprocessing
    self.augmentation = augmentation
    seed = options.seed
    initBatch = options.initBatch
    sampler = EpochSampler(exampleCount: training.count, seed: options.seed)
    batch = LikelihoodBatch(eventShape: trainable.model.eventShape, conditionShape: trainable.model.conditionShape,
                            preprocessing: preprocessing, dequantizer: trainable.dequantizer)
    let reversible = options.reversible ? ReversibleBackprop(parameters: trainable.parameters) : nil
    self.reversible = reversible
    evaluator = DatasetEvaluator(trainable: trainable, communicator: communicator, batch: options.validationBatch,
                                 preprocessing: preprocessing, seed: options.seed, reversible: reversible)
    shardIndices.reserveCapacity(BatchShard(rank: communicator.rank, worldSize: communicator.size,
                                            batchSize: options.globalBatch).count)
  }

  public var parameters: ParameterStore<Float> { trainable.parameters }
  public var exampleShape: Shape { trainable.model.eventShape }
  public var dimensions: Int { trainable.model.dimensions }
  public var lossIsLikelihood: Bool { true }
  public var layerNames: [String] { trainable.model.layerNames }
  /// "encoder_l1": during an encoder warm start, the mean |x − x̂| per dimension (model units,
  /// 1/bins a level) of its regression, which is then the back-propagated loss; 0 after it.
  public var termNames: [String] { trainable.warmStart == nil ? [] : ["encoder_l1"] }

  public func epoch(atCursor cursor: Int) -> Int { sampler.epoch(atCursor: cursor) }

  /// Every rank pushes its shard of the first `initBatch` examples of epoch 0's permutation —
  /// step 0's first examples, dequantized with step 0's noise — through the flow, and each
  /// data-dependent layer all-reduces its statistics, so all ranks compute the same values.
  public func initializeDataDependent(_ context: StepContext, on tape: Tape<Float>,
                                      communicator: any Communicator) throws {
    let shard = BatchShard(rank: context.shard.rank, worldSize: context.shard.worldSize, batchSize: initBatch)
    try load(cursor: 0, shard: shard, step: 0)
    tape.reset()
    let inputs = batch.inputs(on: tape)
    if let reversible {
      try trainable.model.initializeDataDependent(from: inputs.x, condition: inputs.condition,
                                                  communicator: communicator, reversible: reversible)
    } else {
      try trainable.model.initializeDataDependent(from: inputs.x, condition: inputs.condition, parameters: parameters,
                                                  communicator: communicator)
    }
    tape.reset()
  }

  public func loss(_ context: StepContext, on tape: Tape<Float>,
                   statistics: inout StepStatistics) throws -> Variable<Float> {
    try load(cursor: context.cursor, shard: context.shard, step: context.step)
    // Dropout draws by (seed, step, example) during this forward pass only.
    tape.stepNoise = StepNoise(seed: seed, step: context.step, examples: shardIndices)
    defer { tape.stepNoise = nil }
    let inputs = batch.inputs(on: tape)
    // Recorded before the flow, so back-propagating the warm start's error never visits the flow.
    let warmStartErrors = trainable.warmStart.flatMap { warmStart -> Variable<Float>? in
      guard warmStart.covers(step: context.step), let condition = inputs.condition else { return nil }
      return warmStart.absoluteErrors(inputs.x, condition: condition, model: trainable.model)
    }
    let (logLikelihood, layers) = inputs.logLikelihood(trainable.model, reversible: reversible)
    statistics.lossSum = -(sum(logLikelihood.value) + batch.correction)
    for (i, layer) in layers.enumerated() { statistics.setLayerLogAbsDet(i, sum(layer.value)) }
    if let warmStartErrors {
      statistics.setTerm(0, sum(warmStartErrors.value) / Double(dimensions))
      return warmStartErrors.sum().scaled(by: Float(1 / Double(context.globalBatch * dimensions)))
    }
    return logLikelihood.sum().scaled(by: Float(-1 / Double(context.globalBatch)))
  }

  /// Loads this rank's examples of the global batch at `cursor`, with step `step`'s crops and noise.
  private func load(cursor: Int, shard: BatchShard, step: Int) throws {
    sampler.shard(cursor: cursor, shard: shard, into: &shardIndices)
    try batch.load(shardIndices, from: training, draw: .training(seed: seed, step: step),
                   noise: Dequantization.trainingNoise(seed: seed, step: step),
                   augmentation: augmentation.map { ($0, ShiftAugmentation.noise(seed: seed, step: step)) })
  }

  /// Shifts need [channels, height, width] images larger than the shift.
  private static func check(_ augmentation: ShiftAugmentation, imageShape: Shape) throws {
    guard imageShape.rank == 3 else {
      throw TrainerError("shift augmentation needs images ([channels, height, width] examples), "
                         + "but the examples are \(imageShape); remove data.augment")
    }
    let side = min(imageShape[1], imageShape[2])
    guard augmentation.maxShift < side else {
      throw TrainerError("shift augmentation by up to \(augmentation.maxShift) pixels moves \(imageShape) images "
                         + "out of the frame; use data.augment.shift below \(side)")
    }
  }

  public func metrics(atStep step: Int) -> [(key: String, value: Double)] { [] }

  /// The round-trip error, a health metric of invertibility:
  /// ```
  /// max |x − f⁻¹(f(x))|      over the first few examples of every rank's current batch
  /// ```
  /// in model space (after preprocessing), in Float32 as training runs, max-reduced over ranks.
  public func roundTripError(on tape: Tape<Float>, communicator: any Communicator) throws -> Double? {
    tape.reset()
    defer { tape.reset() }
    let inputs = batch.inputs(on: tape, rows: min(Self.roundTripExamples, batch.count))
    return try communicator.allReduced(trainable.model.roundTripError(inputs.x, condition: inputs.condition, reversible: reversible), .max)
  }

  public func validate(communicator: any Communicator) throws -> Double? {
    try validation.map { try evaluator.evaluate($0).natsPerDimension }
  }
}

/// Σ in Float64, so a reported loss does not depend on Float32 rounding of a long sum.
func sum(_ values: UnsafeBufferPointer<Float>) -> Double {
  var total = 0.0
  for v in values { total += Double(v) }
  return total
}
