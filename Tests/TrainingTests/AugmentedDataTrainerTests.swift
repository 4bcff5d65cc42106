import Autodiff
import Collectives
import Datasets
import Flows
import TensorCore
import Training
import XCTest
import _TestSupport

/// Toy points that move with the draw: in training step s example i is its point + 0.25·s (the
/// evaluation draw leaves it in place), so what the trainer learns shows which draw it read.
private struct SteppedSource: ExampleSource {
  let base: InMemorySource
  var count: Int { base.count }
  var exampleShape: Shape { base.exampleShape }

  func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try base.copyExamples(indices, into: out)
  }

  func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                    into out: UnsafeMutableBufferPointer<Float>) throws {
    try base.copyExamples(indices, into: out)
    for k in out.indices { out[k] += 0.25 * Float(draw.step ?? 0) }
  }
}

/// Sources with per-step draws (random crops) get each training step's draw, on any number of
/// ranks alike.
final class AugmentedDataTrainerTests: XCTestCase {
  /// Global batch 12 over 1, 2 or 3 ranks; an init batch unlike step 0's (see DataParallelTrainerTests).
  private static let options = TrainerOptions(
    globalBatch: 12, steps: 4, seed: 7, initBatch: 24,
    schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 1, decay: .cosine, totalSteps: 4), logEvery: 2)

  private static func train(_ source: any ExampleSource, _ communicator: any Communicator) throws -> [Float] {
    let store = ParameterStore<Float>()
    let trainer = try likelihoodTrainer(
      makeToyModel(store), store, training: source, options: options,
      run: RunSetup(directory: nil, configText: "", configHash: 1), communicator: communicator,
      logger: Logger(rank: communicator.rank) { _ in })
    _ = try trainer.train()
    return Array(store.values)
  }

  func testEachStepReadsItsOwnDrawOnOneAndSeveralRanks() throws {
    let base = ToyGaussian.source(count: 96, seed: 3)
    let stepped = try RankInvariance.assertMatchesOneRank(rankCounts: [2, 3], relativeTolerance: 1e-5) {
      try Self.train(SteppedSource(base: base), $0)
    }
    let fixed = try Self.train(base, LocalCommunicator())
    XCTAssertNotEqual(stepped, fixed, "the trainer ignored the steps' draws")
  }
}
