import TensorCore
import XCTest

final class ShapeTests: XCTestCase {
  func testCountStridesAndAxes() {
    let s: Shape = [2, 3, 4]
    XCTAssertEqual(s.count, 24)
    XCTAssertEqual(s.strides, [12, 4, 1])
    XCTAssertEqual(s.axis(-1), 2)
    XCTAssertEqual(s.outerCount(before: 1), 2)
    XCTAssertEqual(s.innerCount(after: 1), 4)
    XCTAssertEqual(Shape([]).count, 1)
  }
}
