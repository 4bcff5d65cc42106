import TensorCore
import XCTest

final class BLASThreadsTests: XCTestCase {
  func testRanksTimesThreadsNeverExceedTheNodesCPUs() {
    let cases: [(node: Int, own: Int, ranks: Int, threads: Int)] = [
      (2, 2, 1, 2),    // one unbound rank takes the node
      (2, 2, 2, 1),    // two unbound ranks split it
      (2, 2, 3, 1),    // oversubscribed: never below one thread
      (64, 64, 6, 10), // the remainder stays idle rather than oversubscribe
      (8, 4, 2, 4),    // bound to 4 CPUs each: exactly those
      (8, 1, 8, 1),    // bound to one core each
      (4, 4, 2, 2),    // a shared 4-CPU cpuset of a bigger machine, two ranks in it
    ]
    for c in cases {
      XCTAssertEqual(BLASThreads.perRank(nodeCPUs: c.node, ownCPUs: c.own, ranksOnNode: c.ranks), c.threads,
                     "node \(c.node) CPUs, own \(c.own), \(c.ranks) ranks")
    }
  }
}
