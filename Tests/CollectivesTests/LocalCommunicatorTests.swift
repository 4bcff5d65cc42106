import Collectives
import XCTest

final class LocalCommunicatorTests: XCTestCase {
  func testSizeOne() {
    let c = LocalCommunicator()
    XCTAssertEqual(c.rank, 0)
    XCTAssertEqual(c.size, 1)
  }
}
