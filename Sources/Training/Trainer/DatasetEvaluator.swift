import Autodiff
import Collectives
import Datasets
import Evaluation
import Flows
import TensorCore

/// The mean negative log-likelihood of a data set under a model.
public struct LikelihoodScore: Sendable, Equatable {
  /// Examples scored over all ranks.
  public var examples: Int
  /// Mean −log p(x | c) per example, in nats; for dequantized data −log P(x) of the discrete
  /// data, constants and preprocessing log-dets included.
  public var nats: Double
  /// `nats` / dimensions.
  public var natsPerDimension: Double
  /// Examples whose log-likelihood was NaN or infinite (then `nats` is not finite either).
  public var nonFinite = 0

  public var bitsPerDimension: Double { LikelihoodUnits.bits(nats: natsPerDimension) }
}

/// Scores a whole data set with the current parameters, sharded over ranks (collective).
///
/// Rank r takes examples r, r + W, r + 2W, … in chunks of `batch / W`, sums log p(x | c) in
/// Float64, and the sums are all-reduced, so every rank returns the same score. Discrete data
/// are dequantized with one fixed noise (`Dequantization.evaluationNoise(seed:)`) and augmented
/// sources give their one evaluation draw (`ExampleDraw.evaluation(seed:)`), so repeated
/// evaluations of the same parameters agree exactly.
public final class DatasetEvaluator {
  public let trainable: TrainableFlow
  let communicator: any Communicator
  /// Global number of examples per forward pass.
  public let batch: Int
  /// The dequantization noise of every evaluation.
  let noise: RandomStream
  /// The crops of every evaluation of an augmented source.
  let draw: ExampleDraw
  private let prepared: LikelihoodBatch
  private let tape: Tape<Float>
  /// Streams the flow one layer at a time, so scoring holds one layer's activations, not all.
  private let reversible: ReversibleBackprop<Float>?

  /// - Parameter reversible: the training run's reversible backprop, which keeps evaluation's
  ///   memory as flat in depth as training's; nil records the whole forward pass.
  public init(trainable: TrainableFlow, communicator: any Communicator, batch: Int,
              preprocessing: Dequantization? = nil, seed: UInt64 = 0, reversible: ReversibleBackprop<Float>? = nil) {
    precondition(batch > 0, "evaluation batch \(batch) must be > 0")
    self.trainable = trainable
    self.communicator = communicator
    self.batch = batch
    noise = Dequantization.evaluationNoise(seed: seed)
    draw = .evaluation(seed: seed)
    prepared = LikelihoodBatch(eventShape: trainable.model.eventShape, conditionShape: trainable.model.conditionShape,
                               preprocessing: preprocessing, dequantizer: trainable.dequantizer)
    tape = Tape(parameters: trainable.parameters)
    self.reversible = reversible
  }

  public func evaluate(_ source: any ExampleSource) throws -> LikelihoodScore {
    let model = trainable.model
    try Self.check(source, against: model, role: "evaluation")
    let rank = communicator.rank, size = communicator.size
    let local = try localLogLikelihoodSum(source)
    var sums = [local.total, Double(BatchShard(rank: rank, worldSize: size, batchSize: source.count).count),
                Double(local.nonFinite)]
    try communicator.allReduce(&sums, .sum)
    let nats = -sums[0] / sums[1]
    return LikelihoodScore(examples: Int(sums[1]), nats: nats,
                           natsPerDimension: LikelihoodUnits.natsPerDimension(nll: nats, dimensions: model.dimensions),
                           nonFinite: Int(sums[2]))
  }

  /// Throws unless `source`'s examples and conditions have the shapes `model` reads.
  static func check(_ source: any ExampleSource, against model: FlowModel, role: String) throws {
    guard source.exampleShape == model.eventShape else {
      throw TrainerError("the \(role) examples have shape \(source.exampleShape) but the model expects "
                         + "\(model.eventShape); check the data file against the model's input shape")
    }
    guard source.conditionShape == model.conditionShape else {
      let has = source.conditionShape.map { "conditions of shape \($0)" } ?? "no conditions"
      let wants = model.conditionShape.map { "conditions of shape \($0)" } ?? "none"
      throw TrainerError("the \(role) data has \(has) but the model reads \(wants); give data of the kind the model was built for")
    }
  }

  /// Σ log p over this rank's share of `source`, in Float64.
  private func localLogLikelihoodSum(_ source: any ExampleSource) throws -> (total: Double, nonFinite: Int) {
    let rank = communicator.rank, size = communicator.size
    let chunk = max(1, batch / size)
    var indices: [Int] = []
    indices.reserveCapacity(chunk)
    var total = 0.0, nonFinite = 0
    var next = rank
    while next < source.count {
      indices.removeAll(keepingCapacity: true)
      while indices.count < chunk && next < source.count {
        indices.append(next)
        next += size
      }
      try prepared.load(indices, from: source, draw: draw, noise: noise)
      total += prepared.correction
      tape.reset()
      for v in prepared.inputs(on: tape).logLikelihood(trainable.model, reversible: reversible).logLikelihood.value {
        total += Double(v)
        if !v.isFinite { nonFinite += 1 }
      }
    }
    tape.reset()
    return (total, nonFinite)
  }
}
