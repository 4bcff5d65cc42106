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

final class BLASThreadsPerProductTests: XCTestCase {
  func testOnlyLargeProductsUseEveryThread() {
    let previous = BLASThreads.count
    defer { BLASThreads.set(previous) }
    BLASThreads.set(2)
    XCTAssertEqual(BLASThreads.forProduct(m: 512, n: 128, k: 128), 1, "MAF's hidden layer")
    XCTAssertEqual(BLASThreads.forProduct(m: 64, n: 1024, k: 576), 1, "glow-digits' 3×3 coupling convolution")
    XCTAssertEqual(BLASThreads.forProduct(m: 1024, n: 1024, k: 1024), 2)
    XCTAssertEqual(BLASThreads.forProduct(m: 1 << 30, n: 1 << 30, k: 1 << 30), 2, "no overflow")
    BLASThreads.set(1)
    XCTAssertEqual(BLASThreads.forProduct(m: 1024, n: 1024, k: 1024), 1)
  }

  func testASmallProductIsTheSameOnTwoThreads() {
    let previous = BLASThreads.count
    defer { BLASThreads.set(previous) }
    let n = 256
    let a = (0..<n * n).map { Float(($0 * 7) % 13) / 13 }, b = (0..<n * n).map { Float(($0 * 5) % 11) / 11 }
    func product(threads: Int) -> [Float] {
      BLASThreads.set(threads)
      var c = [Float](repeating: 0, count: n * n)
      Float.gemm(transposeA: false, transposeB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n,
                 beta: 0, c: &c, ldc: n)
      return c
    }
    let one = product(threads: 1), two = product(threads: 2), oneAgain = product(threads: 1)
    XCTAssertEqual(one, oneAgain)
    // 256³ is below the cut-off, so two threads run it on one: bit-identical.
    XCTAssertEqual(one, two)
  }

  func testASplitProductIsBitIdenticalToOneThreadAndCorrect() {
    let previous = BLASThreads.count
    defer { BLASThreads.set(previous) }
    // Wide (split by columns) and tall (split by rows), each past the cut-off, with ragged ends.
    for (m, n, k) in [(200, 1300, 260), (1300, 200, 260)] {
      XCTAssertGreaterThanOrEqual(m * n * k, BLASThreads.parallelWork)
      for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
        let a = (0..<m * k).map { Float(($0 * 7) % 13) / 13 - 0.5 }
        let b = (0..<k * n).map { Float(($0 * 5) % 11) / 11 - 0.5 }
        let lda = ta ? m : k, ldb = tb ? k : n
        func product(threads: Int) -> [Float] {
          BLASThreads.set(threads)
          var c = [Float](repeating: 1, count: m * n)
          Float.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b,
                     ldb: ldb, beta: 2, c: &c, ldc: n)
          return c
        }
        let one = product(threads: 1), two = product(threads: 2)
        XCTAssertEqual(one.map(\.bitPattern), two.map(\.bitPattern), "\(m)×\(n)×\(k), transposes \(ta) \(tb)")
        for (i, j) in [(0, 0), (m - 1, n - 1), (m / 2, n / 3), (m - 1, 0), (0, n - 1)] {
          var sum = 0.0
          for p in 0..<k {
            sum += Double(ta ? a[p * lda + i] : a[i * lda + p]) * Double(tb ? b[j * ldb + p] : b[p * ldb + j])
          }
          XCTAssertEqual(Double(two[i * n + j]), 0.5 * sum + 2, accuracy: 1e-3, "entry (\(i), \(j))")
        }
      }
    }
  }
}
