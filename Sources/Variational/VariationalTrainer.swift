import Autodiff
import Collectives
import Foundation
import TensorCore
import Training
import VariationalTargets

/// Fits a flow to a 2-D target by the annealed reverse KL, data-parallel over the ranks of
/// `communicator` (DESIGN §5):
/// - parameters are initialized on rank 0, broadcast, and checked equal on every rank;
/// - each step every rank draws its shard (positions r, r + W, …) of the global batch's z₀, keyed
///   by (seed, step, example index), and back-propagates its part of `loss_β` (divided by the
///   global B);
/// - one sum all-reduce of the flat gradient buffer gives every rank the full batch's gradient, a
///   second one the batch's Σ log q and Σ U; so 1 rank and W ranks take the same steps up to the
///   float summation order;
/// - a non-finite loss or gradient skips the step; the decision needs no extra collective since
///   every rank tests the same reduced values. After `maxNonFiniteSteps` in a row training stops.
public final class VariationalTrainer {
  public let spec: VariationalRunSpec
  public let parameters: ParameterStore<Float>
  public let objective: ReverseKL
  public let noise: LatentNoise
  public let shard: BatchShard
  private let communicator: any Communicator
  private let logger: Logger
  private let metrics: MetricsWriter?
  private let optimizer: any Optimizer
  private let tape: Tape<Float>
  /// Steps skipped for a non-finite loss or gradient, in total.
  public private(set) var skippedSteps = 0

  public convenience init(spec: VariationalRunSpec, communicator: any Communicator, logger: Logger,
                          metrics: MetricsWriter? = nil) throws {
    try self.init(spec: spec, energy: spec.target.energy, communicator: communicator, logger: logger, metrics: metrics)
  }

  /// Fits `energy` in place of the spec's target (e.g. a test energy).
  public init(spec: VariationalRunSpec, energy: any Energy2D, communicator: any Communicator, logger: Logger,
              metrics: MetricsWriter? = nil) throws {
    let world = communicator.size
    guard spec.trainer.batchSize >= world else {
      throw VariationalRunError("trainer.batch_size (\(spec.trainer.batchSize)) is smaller than the "
                                + "\(world) ranks; raise it to at least \(world) or run on fewer ranks")
    }
    self.spec = spec
    self.communicator = communicator
    self.logger = logger
    self.metrics = metrics
    parameters = ParameterStore<Float>()
    objective = ReverseKL(flow: VariationalFlow(spec.flow, parameters: parameters), energy: energy)
    noise = LatentNoise(seed: UInt64(spec.trainer.seed))
    shard = BatchShard(rank: communicator.rank, worldSize: world, batchSize: spec.trainer.batchSize)
    optimizer = spec.trainer.optimizer.makeOptimizer(parameterCount: parameters.count)
    tape = Tape(parameters: parameters)
    try initializeParameters()
  }

  /// Rank 0 draws the initial values, every rank receives them, and a hash of the bits must agree.
  private func initializeParameters() throws {
    if communicator.rank == 0 { parameters.initialize(seed: UInt64(spec.trainer.seed)) }
    try communicator.broadcast(parameters.values, root: 0)
    let hashes = try communicator.allGather(parameterHash())
    guard hashes.allSatisfy({ $0 == hashes[0] }) else {
      throw VariationalRunError("initial parameters differ between ranks after the broadcast (hashes \(hashes))")
    }
  }

  /// FNV-1a 64 over the bit patterns of the parameter values.
  private func parameterHash() -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for value in parameters.values {
      hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// Runs every step; returns one record per step (skipped steps included, with their loss).
  public func train() throws -> [VariationalStepRecord] {
    var history: [VariationalStepRecord] = []
    history.reserveCapacity(spec.trainer.steps)
    var report = ProgressReport(logEvery: spec.trainer.logEvery)
    var inARow = 0
    for step in 0..<spec.trainer.steps {
      let record = try self.step(step)
      history.append(record)
      inARow = record.skipped ? inARow + 1 : 0
      if record.skipped {
        skippedSteps += 1
        logger.warning("step \(step): non-finite loss or gradient, step skipped (\(inARow) in a row)")
        guard inARow < spec.trainer.maxNonFiniteSteps else {
          throw VariationalRunError("\(inARow) steps in a row had a non-finite loss or gradient; lower "
                                    + "trainer.lr or set trainer.clip_norm")
        }
      }
      if let line = report.add(record, totalSteps: spec.trainer.steps, batchSize: spec.trainer.batchSize) {
        logger.info(line.progress.description + String(format: "  beta %.3g", record.beta))
        var metricsLine = line.metrics
        metricsLine.set("skipped_steps", skippedSteps)
        try metrics?.append(metricsLine)
      }
    }
    return history
  }

  /// One optimizer step (numbered from 0).
  public func step(_ step: Int) throws -> VariationalStepRecord {
    let started = DispatchTime.now().uptimeNanoseconds
    let beta = spec.trainer.annealing.beta(atStep: step)
    tape.reset()
    parameters.zeroGradients()
    let (terms, loss) = objective.loss(on: tape, noise: noise.training(step: step), shard: shard, beta: beta)
    tape.backward(from: loss)
    let local = terms.sums
    var sums = [local.logDensity, local.energy]
    try communicator.allReduce(parameters.gradients, .sum)
    try communicator.allReduce(&sums, .sum)
    let batch = Double(spec.trainer.batchSize)
    let negativeELBO = (sums[0] + sums[1]) / batch
    let lr = spec.trainer.schedule.learningRate(atStep: step)
    var record = VariationalStepRecord(step: step, negativeELBO: negativeELBO,
                                       annealedLoss: (sums[0] + beta * sums[1]) / batch, beta: beta,
                                       learningRate: lr, gradientNorm: .nan, skipped: false, seconds: 0)
    if NonFiniteCheck.containsNonFinite(loss: record.annealedLoss, gradients: UnsafeBufferPointer(parameters.gradients)) {
      record.skipped = true
    } else {
      record.gradientNorm = spec.trainer.clipNorm.map { GradientClipping.clip(parameters.gradients, maxNorm: $0) }
        ?? GradientClipping.globalNorm(UnsafeBufferPointer(parameters.gradients))
      optimizer.update(parameters, learningRate: lr)
    }
    record.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return record
  }
}

/// What one training step measured, on every rank alike.
public struct VariationalStepRecord: Sendable, Equatable {
  public var step: Int
  /// The batch's estimate of −ELBO = E_q[log q + U] (β = 1), whatever β the step used.
  public var negativeELBO: Double
  /// The objective actually minimized, E_q[log q + β·U].
  public var annealedLoss: Double
  public var beta: Double
  public var learningRate: Double
  /// Global norm of the averaged gradient before clipping; NaN for a skipped step.
  public var gradientNorm: Double
  public var skipped: Bool
  /// Wall time of the step on this rank.
  public var seconds: Double
}

/// A failure of a VI run the user can act on.
public struct VariationalRunError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
