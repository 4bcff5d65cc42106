import TensorCore
import XCTest

final class PrefixMaskTests: XCTestCase {
  func testRunsMergeEqualPrefixesAndDensityCountsOnes() throws {
    // Column prefixes 2, 2, 3, 0.
    let mask = try XCTUnwrap(PrefixMask([1, 1, 1, 0,
                                         1, 1, 1, 0,
                                         0, 0, 1, 0], rows: 3, columns: 4))
    XCTAssertEqual(mask.runs, [.init(end: 2, prefix: 2), .init(end: 3, prefix: 3), .init(end: 4, prefix: 0)])
    XCTAssertEqual(mask.density, 7.0 / 12.0)
  }

  func testAOneBelowAZeroIsNotAPrefix() {
    XCTAssertNil(PrefixMask([1, 0, 0, 1], rows: 2, columns: 2))
    XCTAssertNil(PrefixMask([0, 1, 1, 1], rows: 2, columns: 2))
  }
}
