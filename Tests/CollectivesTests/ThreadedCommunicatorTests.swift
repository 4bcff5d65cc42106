import Collectives
import Foundation
import XCTest
import _TestSupport

/// The in-process multi-rank communicator that other targets' data-parallel tests stand on.
final class ThreadedCommunicatorTests: XCTestCase {
  /// Each rank writes its slot of a shared board, then enters a barrier and reads the whole board.
  /// Rank 0 writes last (it sleeps longest), so a barrier that did not wait would let rank 2 read
  /// a board without rank 0's write. A second barrier keeps a fast rank's next round from
  /// overwriting a slot before the slow ranks have read this one.
  func testBarrierOrdersEveryWriteBeforeEveryRead() throws {
    let world = 3, rounds = 3
    let board = Board(count: world)
    let seen = try ThreadedGroup.run(size: world) { communicator in
      try (1...rounds).map { round -> [Int] in
        Thread.sleep(forTimeInterval: 0.01 * Double(world - 1 - communicator.rank))
        board.write(round, at: communicator.rank)
        try communicator.barrier()
        let snapshot = board.snapshot
        try communicator.barrier()
        return snapshot
      }
    }
    for (rank, boards) in seen.enumerated() {
      XCTAssertEqual(boards, (1...rounds).map { Array(repeating: $0, count: world) }, "rank \(rank)")
    }
  }

  /// Σ(rank + 1) = W(W + 1)/2, max = W, min = 1, a broadcast from the last rank, and gathers in
  /// rank order, for W = 1…4.
  func testCollectivesMatchClosedForms() throws {
    for world in 1...4 {
      let results = try ThreadedGroup.run(size: world) { communicator in
        let mine = Int64(communicator.rank + 1)
        var values: [Int64] = [mine, mine, mine]
        try values.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
        let extremes = [try communicator.allReduced(mine, .max), try communicator.allReduced(mine, .min)]
        var blob: [UInt8] = Array(repeating: UInt8(communicator.rank), count: communicator.rank + 1)
        try communicator.broadcast(bytes: &blob, root: world - 1)
        return (values, extremes, blob, try communicator.allGather(mine), try communicator.allGather(bytes: [UInt8(mine)]))
      }
      let w = Int64(world)
      for (rank, result) in results.enumerated() {
        XCTAssertEqual(result.0, Array(repeating: w * (w + 1) / 2, count: 3), "W=\(world) rank \(rank) sum")
        XCTAssertEqual(result.1, [w, 1], "W=\(world) rank \(rank) max, min")
        XCTAssertEqual(result.2, Array(repeating: UInt8(world - 1), count: world), "W=\(world) rank \(rank) broadcast")
        XCTAssertEqual(result.3, Array(1...w), "W=\(world) rank \(rank) allGather")
        XCTAssertEqual(result.4, (1...world).map { [UInt8($0)] }, "W=\(world) rank \(rank) allGather(bytes:)")
      }
    }
  }
}

/// One integer slot per rank, shared by the threads of a test.
private final class Board: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Int]

  init(count: Int) { slots = Array(repeating: 0, count: count) }

  func write(_ value: Int, at index: Int) { lock.withLock { slots[index] = value } }

  var snapshot: [Int] { lock.withLock { slots } }
}
