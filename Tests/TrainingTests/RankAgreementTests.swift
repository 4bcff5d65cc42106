import Collectives
@testable import Training
import XCTest

/// Rank 0 of a pretend 3-rank group whose all-gathers return fixed values from "other ranks";
/// enough to test decisions that follow an all-gather without MPI.
private final class GatheringCommunicator: Communicator {
  let gathered: [UInt64]
  let texts: [String]
  init(gathered: [UInt64], texts: [String] = []) {
    self.gathered = gathered
    self.texts = texts
  }

  var rank: Int { 0 }
  var size: Int { gathered.count }
  func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] { gathered.map { T(exactly: $0)! } }
  func allReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws { unexpected() }
  func broadcast<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws { unexpected() }
  func broadcast(bytes: inout [UInt8], root: Int) throws { unexpected() }
  func barrier() throws { unexpected() }
  func allGather(bytes: [UInt8]) throws -> [[UInt8]] { texts.map { Array($0.utf8) } }
  func abort(code: Int32, message: String) -> Never { unexpected() }
  private func unexpected() -> Never { preconditionFailure("only all-gathers are expected before the check fails") }
}

final class RankAgreementTests: XCTestCase {
  func testAConfigMismatchStopsTheTrainerNamingTheDifferingKey() throws {
    let (ten, twenty) = ("trainer:\n  steps: 10\n  seed: 1\n", "trainer:\n  steps: 20\n  seed: 1\n")
    let comm = GatheringCommunicator(gathered: [0xab, 0xcd, 0xab], texts: [ten, twenty, ten])
    let store = LocalStore()
    let trainer = try likelihoodTrainer(
      store.model, store.store, training: ToyGaussian.source(count: 64, seed: 1),
      options: TrainerOptions(globalBatch: 6, steps: 1),
      run: RunSetup(directory: nil, configText: ten, configHash: 0xab), communicator: comm, logger: LogLines().logger)
    assertTrainerError("ranks were started with different configs:\n  trainer.steps: rank 0 has 10, rank 1 has 20\n",
                       "same config file with the same --set overrides") {
      try trainer.prepare()
    }
  }

  func testAgreementPasses() throws {
    XCTAssertNoThrow(try GatheringCommunicator(gathered: [7, 7, 7]).requireAgreement(on: 7, "x", fix: "y"))
  }
}
