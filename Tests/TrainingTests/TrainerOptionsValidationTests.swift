@testable import Training
import XCTest

/// The options a run cannot work with on a given number of ranks (issue 11: an uneven global
/// batch was accepted silently).
final class TrainerOptionsValidationTests: XCTestCase {
  private func message(batch: Int, ranks: Int) -> String? {
    do {
      try TrainerOptions(globalBatch: batch, steps: 1).validate(worldSize: ranks)
      return nil
    } catch {
      return error.description
    }
  }

  func testAnUnevenGlobalBatchNamesTheBatchTheRanksAndTheNearestValidSizes() {
    XCTAssertEqual(message(batch: 511, ranks: 2), "trainer.batch_size 511 does not divide evenly over 2 ranks; "
                   + "use 510 or 512, or another number of ranks")
    XCTAssertTrue(message(batch: 100, ranks: 3)?.contains("use 99 or 102") ?? false)
    XCTAssertNil(message(batch: 512, ranks: 2))
    XCTAssertNil(message(batch: 7, ranks: 1))
  }

  func testCheckpointEveryZeroSaysOnlyTheFinalCheckpointIsWritten() {
    XCTAssertTrue(TrainerOptions(globalBatch: 4, steps: 9).checkpointNote?.contains("only the final checkpoint (step 9)") ?? false)
    XCTAssertNil(TrainerOptions(globalBatch: 4, steps: 9, checkpointEvery: 3).checkpointNote)
  }
}
