import Autodiff
import Collectives
import Datasets
import Flows
import Models
import TensorCore
@testable import Training
import XCTest
import _TestSupport

/// `trainer.reversible` in Float32 through the trainer's own path — the objective's loss, then
/// backward with the bucketed all-reduce — against the stored pass: the same loss and per-layer
/// statistics, and the same summed gradients to Float32 round-trip accuracy, on one rank and on
/// two (the all-reduce of a bucket must wait for the flow's recomputed backward).
final class ReversibleTrainingTests: XCTestCase {
  struct Step {
    var loss: Double
    var layerLogDets: [Double]
    var gradients: [Float]
  }

  /// One step's loss and all-reduced gradients on rank `communicator.rank`, from fixed
  /// perturbed parameters (zero-initialized coupling outputs would hide most gradients).
  static func step(_ build: (ParameterStore<Float>) -> FlowModel, source: any ExampleSource,
                   preprocessing: Dequantization?, batch: Int, reversible: Bool,
                   communicator: any Communicator) throws -> Step {
    let store = ParameterStore<Float>()
    let model = build(store)
    store.initialize(seed: 3)
    var rng = SeededGenerator(seed: 9)
    for i in 0..<store.count { store.values[i] += Float.random(in: -0.05...0.05, using: &rng) }
    let options = TrainerOptions(globalBatch: batch, steps: 1, seed: 4, reversible: reversible)
    let objective = try LikelihoodObjective(trainable: TrainableFlow(model: model, parameters: store), training: source,
                                            preprocessing: preprocessing, options: options, communicator: communicator)
    let tape = Tape(parameters: store)
    var statistics = StepStatistics(terms: 0, layers: objective.layerNames.count)
    let context = StepContext(step: 2, cursor: 0, shard: BatchShard(rank: communicator.rank, worldSize: communicator.size,
                                                                    batchSize: batch), seed: 4)
    store.zeroGradients()
    let loss = try objective.loss(context, on: tape, statistics: &statistics)
    var reduction = GradientReduction(parameterCount: store.count, buckets: communicator.buckets)
    try reduction.backward(tape, from: loss, lossSum: statistics.lossSum, gradients: store.gradients,
                           communicator: communicator)
    try communicator.waitForStartedAllReduces()
    try statistics.allReduce(communicator)
    XCTAssertFalse(reduction.nonFinite)
    return Step(loss: statistics.lossSum, layerLogDets: (0..<statistics.layerCount).map { statistics.layerLogAbsDet($0) },
                gradients: Array(store.gradients))
  }

  static func assertClose(_ stored: Step, _ reversible: Step, tolerance: Float, _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(stored.loss, reversible.loss, accuracy: 1e-5 * abs(stored.loss), "\(what): loss", file: file, line: line)
    for (a, b) in zip(stored.layerLogDets, reversible.layerLogDets) {
      XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(a)), "\(what): layer log-det", file: file, line: line)
    }
    let scale = stored.gradients.map(abs).max() ?? 0
    XCTAssertGreaterThan(scale, 0, "\(what): no gradient", file: file, line: line)
    let worst = zip(stored.gradients, reversible.gradients).map { abs($0 - $1) }.max() ?? .infinity
    XCTAssertLessThan(worst, tolerance * scale, "\(what): largest gradient difference", file: file, line: line)
    let silent = zip(stored.gradients, reversible.gradients).filter { $0 != 0 && $1 == 0 }.count
    XCTAssertEqual(silent, 0, "\(what): gradients the reversible pass left at zero", file: file, line: line)
  }

  /// Glow on 3×8×8 images of 256 levels: 2 levels of 2 steps (actnorm, LU 1×1 conv, affine
  /// coupling), a conditional split prior and a learned top prior.
  static func glow(_ store: ParameterStore<Float>) -> FlowModel {
    let architecture = MultiScaleArchitecture(style: .glow, levels: 2, steps: 2, width: 8,
                                              transform: .affine(.affineSigmoid), mixing: .conv1x1LU, actnorm: true,
                                              topPrior: .learned, splitPrior: .conditional)
    return FlowModel(flow: architecture.build(eventShape: [3, 8, 8], parameters: store, seed: 1), base: StandardNormal(),
                     eventShape: [3, 8, 8])
  }

  static let images = levels(count: 12 * 192, exampleShape: [3, 8, 8], multiplier: 37)

  /// `count` pseudo-random integer levels 0 ..< 256 as rows of `exampleShape`.
  static func levels(count: Int, exampleShape: Shape, multiplier: Int) -> InMemorySource {
    let rows: [Float] = (0..<count).map { (i: Int) -> Float in Float((i * multiplier + i / 7) % 256) }
    return InMemorySource(rows: rows, exampleShape: exampleShape)
  }

  func testGlowImageModelMatchesTheStoredPass() throws {
    let bins = Dequantization(bins: 256, transform: .shift(-0.5))
    let run = { (reversible: Bool) in
      try Self.step(Self.glow, source: Self.images, preprocessing: bins, batch: 4, reversible: reversible,
                    communicator: LocalCommunicator())
    }
    Self.assertClose(try run(false), try run(true), tolerance: 1e-3, "glow")
  }

  func testVectorFlowMatchesTheStoredPass() throws {
    let run = { (reversible: Bool) in
      try Self.step({ makeToyModel($0) }, source: ToyGaussian.source(count: 64, seed: 2), preprocessing: nil,
                    batch: 16, reversible: reversible, communicator: LocalCommunicator())
    }
    Self.assertClose(try run(false), try run(true), tolerance: 1e-4, "toy flow")
  }

  /// A conditional image flow with a condition encoder: every layer's feature gradient reaches
  /// the encoder, which back-propagates once.
  func testEncodedConditionalImageFlowMatchesTheStoredPass() throws {
    let build = { (p: ParameterStore<Float>) -> FlowModel in
      let encoder = ImageEncoder("encoder", style: .residual, inChannels: 3, width: 4, depth: 1, levels: 256, parameters: p)
      let inner = InvertibleFlowSequence([
        ActNorm("inner.actnorm", channels: 6, parameters: p),
        ImageCoupling("inner.coupling", channels: 6, mask: .channel, parity: 0, width: 8, transform: .affineSigmoid,
                      featureChannels: 4, parameters: p),
      ])
      let flow = InvertibleFlowSequence([
        Squeeze(),
        ActNorm("actnorm", channels: 12, parameters: p),
        InvertibleConv1x1LU("conv", channels: 12, seed: 1, index: 0, parameters: p),
        AffineInjector("injector", channels: 12, featureChannels: 4, width: 8, parameters: p),
        ImageCoupling("coupling", channels: 12, mask: .channel, parity: 0, width: 8, transform: .affineSigmoid,
                      featureChannels: 4, parameters: p),
        FactorOut(channels: 12, prior: .conditionalOnFeatures(Conv2D("split", inChannels: 10, outChannels: 12, kernel: 3,
                                                                     parameters: p), featureChannels: 4),
                  inner: inner),
        Inverted(Squeeze()),
      ])
      return FlowModel(flow: flow, base: StandardNormal(), eventShape: [3, 8, 8], conditionShape: [3, 4, 4],
                       conditionEncoder: encoder)
    }
    let conditions = Self.levels(count: 12 * 48, exampleShape: [3, 4, 4], multiplier: 11)
    let source = try ConditionedExamples(examples: Self.images, conditions: conditions, names: ("hr", "lr"))
    let bins = Dequantization(bins: 256, transform: .shift(-0.5))
    let run = { (reversible: Bool) in
      try Self.step(build, source: source, preprocessing: bins, batch: 4, reversible: reversible,
                    communicator: LocalCommunicator())
    }
    Self.assertClose(try run(false), try run(true), tolerance: 1e-3, "encoded conditional flow")
  }

  /// Two ranks, reversible, sum what one rank's stored pass of the whole batch computes: the
  /// flow's bucket is not sent before the segment's backward wrote it (in-process ranks reduce a
  /// bucket when it is started, so an early start would lose the flow's gradients).
  func testTwoRanksReversibleSumOneRankStored() throws {
    let bins = Dequantization(bins: 256, transform: .shift(-0.5))
    let stored = try Self.step(Self.glow, source: Self.images, preprocessing: bins, batch: 4, reversible: false,
                               communicator: LocalCommunicator())
    let ranks = try ThreadedGroup.run(size: 2) { communicator -> Step in
      try Self.step(Self.glow, source: Self.images, preprocessing: bins, batch: 4, reversible: true,
                           communicator: communicator)
    }
    for (rank, step) in ranks.enumerated() { Self.assertClose(stored, step, tolerance: 1e-3, "rank \(rank) of 2") }
  }
}
