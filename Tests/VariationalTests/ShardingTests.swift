import Autodiff
import Collectives
import Models
import TensorCore
import Training
import Variational
import VariationalTargets
import XCTest
import _TestSupport

/// Splitting the batch and the evaluation samples over ranks changes nothing but summation order.
final class ShardingTests: XCTestCase {
  func testShardsPartitionTheBatch() {
    for (batch, world) in [(10, 1), (10, 3), (7, 2), (4, 4), (3, 5)] {
      let shards = (0..<world).map { BatchShard(rank: $0, worldSize: world, batchSize: batch) }
      let all = shards.flatMap { Array($0.examples) }
      XCTAssertEqual(all.sorted(), Array(0..<batch), "B \(batch), W \(world)")
      for s in shards {
        XCTAssertEqual(s.count, s.examples.count)
        XCTAssertEqual(Array(s.examples), Array(stride(from: s.rank, to: batch, by: world)))
      }
    }
  }

  /// The gradients of the two half shards' losses (each divided by the global B) sum to the
  /// whole batch's gradient, and the loss values add up too (Float64, planar and IAF).
  func testHalfShardGradientsSumToTheWholeBatchGradient() {
    let specs = [VariationalFlowSpec(family: .planar, layers: 3),
                 VariationalFlowSpec(family: .iaf, layers: 2, hidden: [6], activation: .tanh)]
    for spec in specs {
      let store = ParameterStore<Double>()
      let objective = ReverseKL(flow: VariationalFlow(spec, parameters: store), energy: GaussianMixtureEnergy.standard)
      store.initialize(seed: 2)
      var rng = SeededGenerator(seed: 2)
      for i in store.values.indices { store.values[i] += Double.random(in: -0.3...0.3, using: &rng) }
      func gradient(_ shard: BatchShard) -> (loss: Double, gradient: [Double]) {
        store.zeroGradients()
        let tape = Tape<Double>(parameters: store)
        return withExtendedLifetime(tape) {
          let l = objective.loss(on: tape, noise: LatentNoise(seed: 9).training(step: 5), shard: shard, beta: 0.5).loss
          tape.backward(from: l)
          return (l.scalars[0], Array(store.gradients))
        }
      }
      let whole = gradient(.whole(9))
      let halves = (0..<2).map { gradient(BatchShard(rank: $0, worldSize: 2, batchSize: 9)) }
      XCTAssertEqual(halves[0].loss + halves[1].loss, whole.loss, accuracy: 1e-12, "\(spec.family)")
      for i in whole.gradient.indices {
        XCTAssertEqual(halves[0].gradient[i] + halves[1].gradient[i], whole.gradient[i],
                       accuracy: 1e-12 * max(1, abs(whole.gradient[i])), "\(spec.family) entry \(i)")
      }
    }
  }

  func spec(steps: Int) -> VariationalRunSpec {
    VariationalRunSpec(
      target: .u1, flow: VariationalFlowSpec(family: .planar, layers: 4),
      trainer: TrainerOptions(globalBatch: 32, steps: steps, seed: 5, schedule: LearningRateSchedule(peak: 1e-2),
                              clipNorm: 50, logEvery: 1000),
      annealing: BetaAnnealing(initialBeta: 0.1, steps: 5), evaluation: VariationalEvaluationSettings(samples: 3001))
  }

  /// Trains and evaluates on `world` in-process ranks; returns each rank's parameters, estimate
  /// and histogram.
  func trainAndEvaluate(world: Int) throws -> [(parameters: [Float], estimate: VariationalEstimate, histogram: SampleHistogram)] {
    let spec = self.spec(steps: 12)
    return try ThreadedGroup.run(size: world) { communicator in
      let trainer = try viTrainer(spec, communicator: communicator, logger: Logger(rank: communicator.rank) { _ in })
      _ = try trainer.train()
      let objective = trainer.objective
      let evaluator = VariationalEvaluator(objective: objective.kl, parameters: objective.parameters, noise: objective.noise)
      let (estimate, histogram) = try evaluator.estimate(samples: spec.evaluation.samples, histogramBox: spec.target.plotBox,
                                                         bins: 16, communicator: communicator)
      return (Array(trainer.parameters.values), estimate, histogram)
    }
  }

  /// The reverse-KL trainer honours the data-parallel contract like the likelihood one: 1 rank ×
  /// batch 24 = 2 ranks × 12 = 3 ranks × 8, to float tolerance.
  func testOneTwoAndThreeRanksFitTheSameFlow() throws {
    var divisible = self.spec(steps: 12)
    divisible.trainer.globalBatch = 24
    let spec = divisible
    try RankInvariance.assertMatchesOneRank(rankCounts: [2, 3], relativeTolerance: 1e-4) { communicator in
      let trainer = try viTrainer(spec, communicator: communicator, logger: Logger(rank: communicator.rank) { _ in })
      _ = try trainer.train()
      return Array(trainer.parameters.values)
    }
  }

  /// 1 rank × batch 32 and 2 ranks × 16 take the same steps (float tolerance: the all-reduce adds
  /// the halves in another order) and agree on the evaluation and the histogram.
  func testTwoRanksTrainAndEvaluateLikeOne() throws {
    let one = try trainAndEvaluate(world: 1)[0]
    let two = try trainAndEvaluate(world: 2)
    XCTAssertEqual(two[0].parameters, two[1].parameters, "ranks diverged")
    XCTAssertEqual(two[0].estimate, two[1].estimate, "ranks disagree on the estimate")
    let moved = zip(one.parameters, spec(steps: 0).initialParameters()).map { abs($0 - $1) }.max()!
    XCTAssertGreaterThan(moved, 1e-2, "training did not move the parameters")
    for (a, b) in zip(one.parameters, two[0].parameters) {
      XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(a)))
    }
    XCTAssertEqual(two[0].estimate.samples, 3001)
    XCTAssertEqual(one.estimate.elbo, two[0].estimate.elbo, accuracy: 1e-4)
    XCTAssertEqual(one.estimate.logPartition, two[0].estimate.logPartition, accuracy: 1e-4)
    XCTAssertEqual(one.estimate.effectiveSampleSize, two[0].estimate.effectiveSampleSize,
                   accuracy: 1e-3 * one.estimate.effectiveSampleSize)
    XCTAssertEqual(two[0].histogram.total, 3001)
    XCTAssertEqual(two[0].histogram, two[1].histogram)
    // A sample within float rounding of a bin edge may land in the neighbouring bin.
    let moves = zip(one.histogram.counts, two[0].histogram.counts).map { abs($0 - $1) }.reduce(0, +)
    XCTAssertLessThanOrEqual(moves, 6)
    XCTAssertGreaterThan(one.histogram.counts.reduce(0, +), 2000, "most samples should fall in the box")
  }
}

extension VariationalRunSpec {
  /// The parameters a trainer starts from (on one rank, before any step).
  func initialParameters() -> [Float] {
    let store = ParameterStore<Float>()
    _ = VariationalFlow(flow, parameters: store)
    store.initialize(seed: trainer.seed)
    return Array(store.values)
  }
}
