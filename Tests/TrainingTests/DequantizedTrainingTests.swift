import Autodiff
import CAllocCounter
import Collectives
import Datasets
import Flows
import Foundation
import TensorCore
@testable import Training
import XCTest

final class DequantizedTrainingTests: XCTestCase {
  private let logit = Dequantization(bins: 17, transform: .logit(alpha: 0.05))

  /// [steps][batch position] the dequantized rows each step fed the model, gathered from every
  /// pretend rank of a group of `size`.
  private func rowsSeen(size: Int, steps: Int, batch: Int) throws -> [[[Float]]] {
    let source = levelSource(count: 50, bins: 17)
    let options = TrainerOptions(globalBatch: batch, steps: steps, seed: 5)
    var seen = [[[Float]]](repeating: [[Float]](repeating: [], count: batch), count: steps)
    for rank in 0 ..< size {
      let communicator: any Communicator = size == 1 ? LocalCommunicator() : LoneRankCommunicator(rank: rank, size: size)
      let (trainer, _) = try dequantizingTrainer(logit, source: source, options: options, communicator: communicator)
      try trainer.prepare()
      for step in 0 ..< steps {
        _ = try trainer.runStep()
        for (k, position) in stride(from: rank, to: batch, by: size).enumerated() {
          seen[step][position] = Array(trainer.objective.batch.values[2 * k ..< 2 * k + 2])
        }
      }
    }
    return seen
  }

  func testEveryRankDequantizesItsShardAsOneRankWould() throws {
    let one = try rowsSeen(size: 1, steps: 3, batch: 12)
    XCTAssertEqual(try rowsSeen(size: 2, steps: 3, batch: 12), one)
    XCTAssertEqual(try rowsSeen(size: 3, steps: 3, batch: 12), one)
    XCTAssertNotEqual(one[0], one[1], "each step draws new noise")
  }

  func testTheReportedLossIsTheNLLOfTheDiscreteData() throws {
    let source = levelSource(count: 64, bins: 17)
    let options = TrainerOptions(globalBatch: 8, steps: 1, seed: 11)
    let (trainer, store) = try dequantizingTrainer(logit, source: source, options: options)
    try trainer.prepare()
    var indices: [Int] = []
    trainer.objective.sampler.shard(cursor: 0, shard: BatchShard(rank: 0, worldSize: 1, batchSize: 8), into: &indices)
    let noise = Dequantization.trainingNoise(seed: 11, step: 0)
    let examples = indices.map {
      handDequantized(Array(source.rows[2 * $0 ..< 2 * $0 + 2]), example: $0, bins: 17,
                      transform: logit.transform, noise: noise)
    }
    let model = logLikelihoods(trainer.objective.trainable.model, store, rows: examples.flatMap(\.values))
    // −log P(x) = −(log p(y') + Σ log|dy'/dy| − D·ln 17), averaged over the batch.
    let expected = zip(model, examples).map { -(Double($0) + $1.logDet - 2 * log(17.0)) }.reduce(0, +) / 8
    let outcome = try trainer.runStep()
    XCTAssertEqual(outcome.loss, expected, accuracy: 1e-5 * abs(expected))
  }

  func testDequantizedStepsAllocateNoMoreThanPlainSteps() throws {
    guard alloc_counter_is_active() == 1 else { throw XCTSkip("allocation counting is not supported here") }
    func allocationsPerStep(_ preprocessing: Dequantization?) throws -> [UInt64] {
      let options = TrainerOptions(globalBatch: 32, steps: 100, seed: 1)
      let (trainer, _) = try dequantizingTrainer(preprocessing, source: levelSource(count: 4096, bins: 17),
                                                 options: options)
      try trainer.prepare()
      _ = try trainer.runStep()
      return try (0 ..< 4).map { _ in
        let before = alloc_counter_thread_count()
        _ = try trainer.runStep()
        return alloc_counter_thread_count() - before
      }
    }
    XCTAssertEqual(try allocationsPerStep(logit), try allocationsPerStep(nil))
  }
}

final class DequantizedEvaluationTests: XCTestCase {
  private func evaluate(_ model: FlowModel, rows: [Float], _ preprocessing: Dequantization, seed: UInt64 = 2,
                        batch: Int = 4) throws -> LikelihoodScore {
    let evaluator = DatasetEvaluator(trainable: TrainableFlow(model: model, parameters: ParameterStore<Float>()), communicator: LocalCommunicator(),
                                     batch: batch, preprocessing: preprocessing, seed: seed)
    return try evaluator.evaluate(InMemorySource(rows: rows, exampleShape: [model.eventShape[0]]))
  }

  func testAUniformDensityOn8BitDataIs8BitsPerDimension() throws {
    let model = FlowModel(flow: InvertibleFlowSequence([]), base: UniformUnitCube(), eventShape: [5])
    let rows = (0 ..< 35).map { Float($0 * 37 % 256) }
    let result = try evaluate(model, rows: rows, Dequantization(bins: 256))
    XCTAssertEqual(result.examples, 7)
    XCTAssertEqual(result.bitsPerDimension, 8, accuracy: 1e-12)
  }

  func testBitsPerDimensionByHandForThreeDimensionsAndFourBins() throws {
    let model = FlowModel(flow: InvertibleFlowSequence([]), base: StandardNormal(), eventShape: [3])
    let rows: [Float] = [0, 1, 3, 2, 2, 0, 3, 3, 1, 0, 0, 0, 1, 2, 3]
    let noise = Dequantization.evaluationNoise(seed: 2)
    for transform in [Dequantization.Transform.shift(-0.5), .logit(alpha: 0.1)] {
      var nats = 0.0
      for i in 0 ..< 5 {
        let (y, logDet) = handDequantized(Array(rows[3 * i ..< 3 * i + 3]), example: i, bins: 4,
                                          transform: transform, noise: noise)
        let logNormal = y.map { -0.5 * Double($0 * $0) - 0.5 * log(2 * Double.pi) }.reduce(0, +)
        nats -= logNormal + logDet - 3 * log(4.0)
      }
      let expected = nats / 5 / (3 * log(2.0))
      let result = try evaluate(model, rows: rows, Dequantization(bins: 4, transform: transform), batch: 2)
      XCTAssertEqual(result.bitsPerDimension, expected, accuracy: 1e-6, "\(transform)")
      XCTAssertEqual(try evaluate(model, rows: rows, Dequantization(bins: 4, transform: transform), batch: 2),
                     result, "the evaluation noise is fixed")
      XCTAssertNotEqual(try evaluate(model, rows: rows, Dequantization(bins: 4, transform: transform), seed: 3),
                        result, "another seed, other noise")
    }
  }
}

final class RoundTripMetricTests: XCTestCase {
  func testAnInvertibleModelLogsASmallRoundTripError() throws {
    let directory = try ScratchDirectory()
    var options = toyOptions(steps: 4)
    options.logEvery = 2
    _ = try LocalRun(options: options, directory: directory.path).trainer.train()
    let lines = try String(contentsOfFile: directory.file("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 2)
    for line in lines {
      let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let error = try XCTUnwrap(record["round_trip_error"] as? Double, String(line))
      XCTAssertTrue(error >= 0 && error < 1e-5, "\(error)")
    }
  }

  func testABrokenInverseShowsUpExactly() throws {
    // f(x) = actnorm(2x) but f⁻¹(z) = actnorm⁻¹(z)/3, so x − f⁻¹(f(x)) = x/3.
    let options = TrainerOptions(globalBatch: 16, steps: 10, seed: 3)
    let (trainer, _) = try dequantizingTrainer(nil, source: ToyGaussian.source(count: 64, seed: 2), options: options,
                                               model: { store in
      FlowModel(flow: InvertibleFlowSequence([BrokenDoubling(), ActNorm("a", channels: 2, parameters: store)]),
                base: StandardNormal(), eventShape: [2])
    })
    try trainer.prepare()
    _ = try trainer.runStep()
    let firstEight = trainer.objective.batch.values[0 ..< 16].map { Double(abs($0)) / 3 }.max()!
    XCTAssertEqual(try XCTUnwrap(trainer.objective.roundTripError(on: trainer.tape, communicator: LocalCommunicator())), firstEight, accuracy: 1e-5 * firstEight)
  }
}

final class ShiftAugmentedTrainingTests: XCTestCase {
  private let imageShape: Shape = [1, 3, 4]

  private func objective(_ augmentation: ShiftAugmentation, eventShape: Shape? = nil,
                         source: InMemorySource) throws -> LikelihoodObjective {
    let model = FlowModel(flow: InvertibleFlowSequence([]), base: StandardNormal(), eventShape: eventShape ?? imageShape)
    return try LikelihoodObjective(
      trainable: TrainableFlow(model: model, parameters: ParameterStore<Float>()), training: source,
      preprocessing: Dequantization(bins: 17, transform: .shift(-0.5)), augmentation: augmentation,
      options: TrainerOptions(globalBatch: 6, steps: 1, seed: 4), communicator: LocalCommunicator())
  }

  func testTrainingBatchesAreShiftedThenDequantizedWithTheirStepsDraws() throws {
    let d = imageShape.count
    let source = InMemorySource(rows: (0 ..< 10 * d).map { Float(1 + $0 % 16) }, exampleShape: imageShape)
    let augmentation = ShiftAugmentation(maxShift: 1)
    let training = try objective(augmentation, source: source)
    let step = 3
    var statistics = StepStatistics(terms: 0, layers: 0)
    _ = try training.loss(StepContext(step: step, cursor: 12, shard: BatchShard(rank: 0, worldSize: 1, batchSize: 6),
                                      seed: 4),
                          on: Tape(parameters: training.parameters), statistics: &statistics)
    let indices = training.batch.indices
    XCTAssertEqual(indices.count, 6)
    var expected = indices.flatMap { source.rows[$0 * d ..< ($0 + 1) * d] }
    expected.withUnsafeMutableBufferPointer { v in
      indices.withUnsafeBufferPointer {
        augmentation.apply(to: v, imageShape: imageShape, examples: $0, noise: ShiftAugmentation.noise(seed: 4, step: step))
      }
    }
    let noise = Dequantization.trainingNoise(seed: 4, step: step)
    let dequantized = indices.enumerated().flatMap { k, example in
      handDequantized(Array(expected[k * d ..< (k + 1) * d]), example: example, bins: 17, transform: .shift(-0.5),
                      noise: noise).values
    }
    XCTAssertEqual(Array(training.batch.values[0 ..< 6 * d]), dequantized)
    XCTAssertTrue(expected.contains(0), "some shift brought in a level-0 border (the data hold no 0)")
  }

  func testShiftsThatDoNotFitTheExamplesAreRefused() {
    let source = InMemorySource(rows: [Float](repeating: 1, count: 4 * 12), exampleShape: imageShape)
    XCTAssertThrowsError(try objective(ShiftAugmentation(maxShift: 3), source: source)) {
      XCTAssertTrue("\($0)".contains("use data.augment.shift below 3"), "\($0)")
    }
    let rows = InMemorySource(rows: [Float](repeating: 1, count: 4 * 12), exampleShape: [12])
    XCTAssertThrowsError(try objective(ShiftAugmentation(maxShift: 1), eventShape: [12], source: rows)) {
      XCTAssertTrue("\($0)".contains("needs images"), "\($0)")
    }
  }
}
