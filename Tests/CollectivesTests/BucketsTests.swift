import Collectives
import XCTest

final class BucketsTests: XCTestCase {
  func testDefaultIsFourMiB() {
    XCTAssertEqual(Buckets.standard.bytes, 4 << 20)
    XCTAssertEqual(Buckets.defaultBytes, 4 << 20)
  }

  func testRangesCoverEveryIndexOnceInOrderWithinTheByteLimit() throws {
    let buckets = try Buckets(bytes: 1 << 20)
    for (count, stride) in [(1, 4), (262_144, 4), (262_145, 4), (700_001, 4), (300_001, 8),
                            (5_000_000, 1), (3, 8)] {
      var next = 0
      var calls = 0
      for range in buckets.ranges(count: count, stride: stride) {
        XCTAssertEqual(range.lowerBound, next, "count \(count) stride \(stride)")
        XCTAssertFalse(range.isEmpty)
        XCTAssertLessThanOrEqual(range.count * stride, 1 << 20)
        next = range.upperBound
        calls += 1
      }
      XCTAssertEqual(next, count, "count \(count) stride \(stride)")
      let perBucket = (1 << 20) / stride
      XCTAssertEqual(calls, (count + perBucket - 1) / perBucket, "count \(count) stride \(stride)")
    }
  }

  func testFortyMiBOfFloatsInDefaultBucketsIsTenCalls() {
    let ranges = Array(Buckets.standard.ranges(count: 10 << 20, stride: 4))
    XCTAssertEqual(ranges.count, 10)
    XCTAssertTrue(ranges.allSatisfy { $0.count == 1 << 20 })
  }

  func testEmptyBufferIsOneEmptyCall() {
    XCTAssertEqual(Array(Buckets.standard.ranges(count: 0, stride: 8)), [0..<0])
  }

  func testSizesOutsideOneToSixteenMiBAreRejectedWithTheRange() throws {
    for bad in [0, (1 << 20) - 1, (16 << 20) + 1, -5] {
      XCTAssertThrowsError(try Buckets(bytes: bad)) { error in
        let message = (error as? CollectiveError)?.message ?? ""
        XCTAssertTrue(message.contains("\(bad)"), "message: \(message)")
        XCTAssertTrue(message.contains("1 MiB ... 16 MiB"), "message: \(message)")
      }
    }
    XCTAssertEqual(try Buckets(bytes: 1 << 20).bytes, 1 << 20)
    XCTAssertEqual(try Buckets(bytes: 16 << 20).bytes, 16 << 20)
  }
}
