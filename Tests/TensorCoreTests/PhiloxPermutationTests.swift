import TensorCore
import XCTest

final class PhiloxPermutationTests: XCTestCase {
  func testIsAPermutationAndReproducible() {
    for count in [0, 1, 2, 1000] {
      let p = RandomPermutation.epoch(3, count: count, seed: 42)
      XCTAssertEqual(p.sorted(), Array(0..<count), "count \(count)")
      XCTAssertEqual(p, RandomPermutation.epoch(3, count: count, seed: 42), "count \(count)")
    }
    let base = RandomPermutation.epoch(3, count: 1000, seed: 42)
    XCTAssertNotEqual(base, RandomPermutation.epoch(4, count: 1000, seed: 42))
    XCTAssertNotEqual(base, RandomPermutation.epoch(3, count: 1000, seed: 43))
  }

  /// All 6 orders of 3 items are equally likely over 6000 epochs: chi-square with 5 degrees of
  /// freedom below 30 (its 0.99998 quantile), which a biased index draw fails.
  func testOrdersOfThreeAreUniform() {
    let seed: UInt64 = 7
    var counts: [[Int]: Int] = [:]
    for epoch in 0..<6000 { counts[RandomPermutation.epoch(epoch, count: 3, seed: seed), default: 0] += 1 }
    XCTAssertEqual(counts.count, 6, "seed \(seed)")
    let chiSquare = counts.values.reduce(0.0) { $0 + Double(($1 - 1000) * ($1 - 1000)) / 1000 }
    XCTAssertLessThan(chiSquare, 30, "seed \(seed) counts \(counts)")
  }

  /// A generator rebuilt from a saved position continues exactly where the original was.
  func testGeneratorResumesFromPosition() {
    let stream = RandomStream(seed: 11, purpose: .sampling, minor: 2)
    var original = PhiloxGenerator(stream: stream)
    let words = (0..<6).map { _ in original.next() }
    for start in 0..<6 {
      var resumed = PhiloxGenerator(stream: stream, position: UInt64(start))
      XCTAssertEqual((start..<6).map { _ in resumed.next() }, Array(words[start...]), "from \(start)")
    }
    let block = stream.block(1)
    XCTAssertEqual(words[3], UInt64(block.w) << 32 | UInt64(block.z))
  }
}
