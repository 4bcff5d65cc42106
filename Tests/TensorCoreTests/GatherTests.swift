import TensorCore
import XCTest

final class GatherTests: XCTestCase {
  func testGatherAndScatterAddWithRepeatedIndices() {
    // x: [outer 2, count 3, inner 2]; pick slices 2, 0, 2 along the middle axis.
    let x: [Float] = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]
    let indices = [2, 0, 2]
    var y = [Float](repeating: 0, count: 12)
    Gather.apply(x, outer: 2, count: 3, inner: 2, indices: indices, indexCount: 3, into: &y)
    XCTAssertEqual(y, [4, 5, 0, 1, 4, 5, 14, 15, 10, 11, 14, 15])
    var dx = [Float](repeating: 0, count: 12)
    Gather.scatterAdd(y, outer: 2, count: 3, inner: 2, indices: indices, indexCount: 3, into: &dx)
    XCTAssertEqual(dx, [0, 1, 0, 0, 8, 10, 10, 11, 0, 0, 28, 30])
  }

  func testRowCopiesBetweenStridedBuffers() {
    // Column block 1..<3 of a [2, 4] matrix, as concatenation and slicing use it.
    let x: [Float] = [0, 1, 2, 3, 4, 5, 6, 7]
    var block = [Float](repeating: 0, count: 4)
    Elementwise.copyRows(Array(x[1...]), stride: 4, into: &block, stride: 2, rows: 2, columns: 2)
    XCTAssertEqual(block, [1, 2, 5, 6])
    var back = [Float](repeating: 1, count: 8)
    back.withUnsafeMutableBufferPointer {
      Elementwise.addRows(block, stride: 2, into: $0.baseAddress! + 1, stride: 4, rows: 2, columns: 2)
    }
    XCTAssertEqual(back, [1, 2, 3, 1, 1, 6, 7, 1])
  }
}
