import Autodiff
import Collectives
import Datasets
import Flows
import Training
import XCTest
import _TestSupport

/// The data-parallel contract without mpirun: the trainer on 1 rank × global batch 12 takes the
/// same steps as on 2 ranks × 6 and 3 ranks × 4 (in-process ranks, one thread each), for the
/// likelihood objective on plain and on conditional data (VariationalTests checks reverse KL;
/// LaminarMPITests checks the same under mpirun).
final class DataParallelTrainerTests: XCTestCase {
  /// Adam with warmup and cosine decay, clipping and an EMA. The actnorm init uses 24 examples,
  /// not the first batch of 12: standardizing exactly that batch would leave step 0's actnorm
  /// and bias gradients at rounding noise, whose sign (and so Adam's ±lr step) depends on the
  /// summation order, which differs between 1 and W ranks.
  private static func options(steps: Int) -> TrainerOptions {
    TrainerOptions(
      globalBatch: 12, steps: steps, seed: 7, initBatch: 24,
      schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 1, decay: .cosine, totalSteps: 4),
      clipNorm: 5, emaDecay: 0.9, logEvery: 2)
  }

  /// One rank's own model, store and trainer; returns its parameters after `steps` steps (after
  /// the data-dependent init when `steps` is 0).
  private static func train(steps: Int, conditional: Bool, _ communicator: any Communicator) throws -> [Float] {
    let store = ParameterStore<Float>()
    let (model, data): (FlowModel, any ExampleSource) = conditional
      ? (makeConditionalToyModel(store, classes: 2), ToyDataset(.moons, count: 96, seed: 1, labelled: true))
      : (makeToyModel(store), ToyGaussian.source(count: 96, seed: 1))
    let trainer = try likelihoodTrainer(
      model, store, training: data, options: options(steps: steps),
      run: RunSetup(directory: nil, configText: "", configHash: 1), communicator: communicator,
      logger: Logger(rank: communicator.rank) { _ in })
    if steps == 0 { try trainer.prepare() } else { _ = try trainer.train() }
    return Array(store.values)
  }

  func testOneTwoAndThreeRanksTrainTheSameParameters() throws {
    for conditional in [false, true] {
      let one = try RankInvariance.assertMatchesOneRank(rankCounts: [2, 3], relativeTolerance: 1e-5) {
        try Self.train(steps: 4, conditional: conditional, $0)
      }
      let initial = try Self.train(steps: 0, conditional: conditional, LocalCommunicator())
      let moved = zip(one, initial).map { abs($0 - $1) }.max() ?? 0
      XCTAssertGreaterThan(moved, 1e-3, "4 steps did not move the parameters (conditional: \(conditional))")
    }
  }
}
