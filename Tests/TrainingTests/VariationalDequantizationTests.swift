import Autodiff
import Collectives
import Datasets
import Flows
import Foundation
import TensorCore
@testable import Training
import XCTest
import _TestSupport

/// Variational dequantization (issue 10): the loss is the dequantization ELBO with every
/// constant, the importance-weighted bound is at least as tight and equals the ELBO for one draw,
/// and neither training (dropout included) nor the bound depends on the number of ranks.
final class VariationalDequantizationTests: XCTestCase {
  private static let bins = 5
  private static let preprocessing = Dequantization(bins: bins, transform: .shift(-0.5))

  /// 24 images [1, 4, 4] of levels 0 ..< 5.
  private var source: InMemorySource {
    let rows: [Float] = (0 ..< 24 * 16).map { (i: Int) -> Float in Float((i * 7 + i / 5) % 5) }
    return InMemorySource(rows: rows, exampleShape: [1, 4, 4])
  }

  /// A checkerboard mixture coupling with a gated residual conditioner (attention, `dropout`)
  /// and q(u | x); with `perturbed`, the parameters are moved off their initial values so that
  /// every part of the model matters.
  private static func trainable(perturbed: Bool, dropout: Double = 0, dequantizer: Bool = true) -> TrainableFlow {
    let store = ParameterStore<Float>()
    let flow = InvertibleFlowSequence([
      ImageCoupling("c0", channels: 1, mask: .checkerboard, parity: 0, transform: .mixtureLogistic(components: 2),
                    network: .gatedResidual(blocks: 1, heads: 2, dropout: dropout), width: 4, imageSize: (4, 4),
                    parameters: store),
    ])
    let options = VariationalDequantizerOptions(couplings: 2, width: 4, components: 2)
    let q = dequantizer ? VariationalDequantizer("dq", eventShape: [1, 4, 4], options: options, parameters: store) : nil
    store.initialize(seed: 3)
    if perturbed {
      var rng = SeededGenerator(seed: 9)
      for i in store.values.indices { store.values[i] += Float.random(in: -0.2...0.2, using: &rng) }
    }
    return TrainableFlow(model: FlowModel(flow: flow, base: StandardNormal(), eventShape: [1, 4, 4]),
                         parameters: store, dequantizer: q)
  }

  private static func trainer(_ t: TrainableFlow, source: InMemorySource, steps: Int,
                              communicator: any Communicator = LocalCommunicator()) throws -> Trainer<LikelihoodObjective>
  {
    let options = TrainerOptions(globalBatch: 8, steps: steps, seed: 4, schedule: LearningRateSchedule(peak: 3e-3))
    let objective = try LikelihoodObjective(trainable: t, training: source, preprocessing: Self.preprocessing,
                                            options: options, communicator: communicator)
    return try Trainer(objective: objective, options: options,
                       run: RunSetup(directory: nil, configText: "", configHash: 1), communicator: communicator,
                       logger: LogLines().logger)
  }

  /// The first step's loss is −(1/B) Σ [log p((x + u)/bins − ½) − log q(u | x)] + D·ln(bins), with
  /// u from ε ~ N(0, I) of the step's stream at each example's offset, computed here by hand.
  func testLossIsTheDequantizationELBO() throws {
    let t = Self.trainable(perturbed: true)
    let run = try Self.trainer(t, source: source, steps: 1)
    try run.prepare()
    var indices: [Int] = []
    run.objective.sampler.shard(cursor: 0, shard: BatchShard(rank: 0, worldSize: 1, batchSize: 8), into: &indices)
    let noise = Dequantization.trainingNoise(seed: 4, step: 0)
    let tape = Tape<Float>(parameters: t.parameters)
    let rows = source.rows
    let levels = tape.input(Tensor(shape: [8, 1, 4, 4], scalars: indices.flatMap { rows[($0 * 16) ..< ($0 * 16 + 16)] }))
    let epsilon = tape.input(Tensor(shape: [8, 1, 4, 4], scalars: indices.flatMap { i -> [Float] in
      let e: Tensor<Float> = noise.normal([16], offset: RandomStream.offset(example: i))
      return e.scalars
    }))
    let (u, logQ) = t.dequantizer!.sample(noise: epsilon, levels: levels, bins: Self.bins)
    XCTAssertTrue(u.value.allSatisfy { $0 > 0 && $0 < 1 }, "u must lie in (0, 1)")
    let y = (levels + u).scaled(by: 1 / Float(Self.bins)) - 0.5
    let elbo = zip(t.model.logLikelihood(y).value, logQ.value).map { Double($0) - Double($1) }
    let expected = -elbo.reduce(0, +) / 8 + 16 * log(Double(Self.bins))
    let outcome = try run.runStep()
    XCTAssertEqual(outcome.loss, expected, accuracy: 1e-5 * abs(expected))
  }

  /// IW(S) ≤ ELBO(S) in bits, strictly for S > 1, and IW(1) is the evaluator's ELBO, for variational
  /// and for uniform dequantization.
  func testImportanceWeightedBoundIsTighterAndOneDrawIsTheELBO() throws {
    for variational in [true, false] {
      let t = Self.trainable(perturbed: true, dropout: 0.5, dequantizer: variational)
      let elbo = try DatasetEvaluator(trainable: t, communicator: LocalCommunicator(), batch: 8,
                                      preprocessing: Self.preprocessing, seed: 4).evaluate(source).natsPerDimension
      let weighted = ImportanceWeightedEvaluator(trainable: t, communicator: LocalCommunicator(), batch: 8,
                                                 preprocessing: Self.preprocessing, seed: 4)
      let one = try weighted.evaluate(source, draws: 1), eight = try weighted.evaluate(source, draws: 8)
      XCTAssertEqual(one.boundNatsPerDimension, elbo, accuracy: 1e-6 * abs(elbo), "variational \(variational)")
      XCTAssertEqual(one.elboNatsPerDimension, elbo, accuracy: 1e-6 * abs(elbo), "variational \(variational)")
      XCTAssertLessThan(eight.boundNatsPerDimension, eight.elboNatsPerDimension - 1e-4, "variational \(variational)")
      XCTAssertEqual(eight.nonFinite, 0)
    }
  }

  /// The bound from 1, 2 and 3 ranks (draws shared out and gathered) is bit-identical.
  func testImportanceWeightedBoundDoesNotDependOnRanks() throws {
    let source = self.source
    let bounds = try [1, 2, 3].map { size in
      try ThreadedGroup.run(size: size) { communicator in
        // Each rank builds its own model, as each MPI rank does.
        try ImportanceWeightedEvaluator(trainable: Self.trainable(perturbed: true), communicator: communicator, batch: 8,
                                        preprocessing: Self.preprocessing, seed: 4)
          .evaluate(source, draws: 5).boundNatsPerDimension
      }
    }
    XCTAssertEqual(bounds[1], [bounds[0][0], bounds[0][0]])
    XCTAssertEqual(bounds[2], [bounds[0][0], bounds[0][0], bounds[0][0]])
  }

  /// Three steps with dropout and q on 2 ranks end with the parameters of 1 rank, and q trains.
  /// (1e-4: Adam's normalized update turns summation-order noise in near-zero gradients into
  /// differences of that size; masks keyed by rank would differ by the update itself, ~3e-3.)
  func testTrainingWithDropoutAndDequantizerIsRankInvariant() throws {
    let source = self.source
    let initial = Self.trainable(perturbed: true, dropout: 0.5).parameters
    let q = initial.slices.filter { $0.name.hasPrefix("dq.") }
    let reference = try RankInvariance.assertMatchesOneRank(rankCounts: [2], relativeTolerance: 1e-4) { communicator in
      let t = Self.trainable(perturbed: true, dropout: 0.5)
      _ = try Self.trainer(t, source: source, steps: 3, communicator: communicator).train()
      return Array(t.parameters.values)
    }
    XCTAssertTrue(q.contains { s in (s.offset ..< s.offset + s.count).contains { reference[$0] != initial.values[$0] } },
                  "the dequantizer's parameters did not change")
  }
}
