import CAllocCounter
@testable import Training
import XCTest

/// Steady-state steps reuse the tape, the batch buffers and the sampler's cached permutations:
/// the number of heap allocations per step is constant and does not grow with the batch
/// (a per-example allocation in the data path would show up as a difference here).
final class StepAllocationTests: XCTestCase {
  private func allocationsPerStep(batch: Int) throws -> [UInt64] {
    let options = TrainerOptions(globalBatch: batch, steps: 100, seed: 1, clipNorm: 1, emaDecay: 0.9)
    // 4096 examples: no epoch boundary (a new permutation) within the measured steps.
    let run = try LocalRun(options: options, directory: nil, source: ToyGaussian.source(count: 4096, seed: 1))
    try run.trainer.prepare()
    _ = try run.trainer.runStep()
    return try (0..<6).map { _ in
      let before = alloc_counter_thread_count()
      _ = try run.trainer.runStep()
      return alloc_counter_thread_count() - before
    }
  }

  func testAllocationsPerStepAreConstantAndIndependentOfTheBatch() throws {
    guard alloc_counter_is_active() == 1 else { throw XCTSkip("allocation counting is not supported here") }
    let small = try allocationsPerStep(batch: 16), large = try allocationsPerStep(batch: 64)
    XCTAssertEqual(Set(small).count, 1, "\(small)")
    XCTAssertEqual(small, large)
  }
}
