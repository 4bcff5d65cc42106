import TensorCore
import XCTest

final class BroadcastTests: XCTestCase {
  /// Operand shape pairs covering trailing alignment, size-1 axes on both sides and rank 0.
  let shapePairs: [(Shape, Shape)] = [
    ([2, 3], [2, 3]), ([2, 3], [3]), ([3], [2, 3]), ([2, 1, 4], [3, 1]), ([], [2, 3]),
    ([4, 1, 3, 1], [5, 1, 2]), ([2, 3, 1], [1]), ([1, 1], [3, 1, 2]), ([3, 1, 2], [1, 2, 1]),
  ]

  func testBroadcastShapeFollowsNumPyRules() {
    XCTAssertEqual(Shape.broadcast([2, 1, 4], [3, 1]), [2, 3, 4])
    XCTAssertEqual(Shape.broadcast([], [2, 3]), [2, 3])
    XCTAssertEqual(Shape.broadcast([5, 1, 2], [4, 1, 3, 1]), [4, 5, 3, 2])
    XCTAssertNil(Shape.broadcast([2, 3], [2]))
    XCTAssertNil(Shape.broadcast([2, 3, 4], [3, 3]))
  }

  func testApplyMatchesNaiveIndexing() {
    for (aShape, bShape) in shapePairs {
      let shape = Shape.broadcast(aShape, bShape)!
      let a: [Float] = testValues(aShape.count, seed: 1)
      let b: [Float] = testValues(bShape.count, seed: 2).map { $0 + 3 }
      for op in [BinaryOperator.add, .subtract, .multiply, .divide] {
        var y = [Float](repeating: .nan, count: shape.count)
        Broadcast.apply(op, a, aShape, b, bShape, into: &y, shape: shape)
        for i in 0..<shape.count {
          let index = NaiveIndexing.multiIndex(i, in: shape)
          let x = a[NaiveIndexing.broadcastSource(index, operand: aShape)]
          let z = b[NaiveIndexing.broadcastSource(index, operand: bShape)]
          let expected = [x + z, x - z, x * z, x / z][op.rawValue]
          XCTAssertEqual(y[i], expected, "\(op) \(aShape) with \(bShape) at \(index)")
        }
      }
    }
  }

  /// Each operand's gradient sums the per-element derivative over the entries that read it.
  func testGradientMatchesNaiveAccumulation() {
    for (aShape, bShape) in shapePairs {
      let shape = Shape.broadcast(aShape, bShape)!
      let a: [Double] = testValues(aShape.count, seed: 3)
      let b: [Double] = testValues(bShape.count, seed: 4).map { $0 + 3 }
      let dy: [Double] = testValues(shape.count, seed: 5)
      for op in [BinaryOperator.add, .subtract, .multiply, .divide] {
        var y = [Double](repeating: 0, count: shape.count)
        Broadcast.apply(op, a, aShape, b, bShape, into: &y, shape: shape)
        var expectedA = [Double](repeating: 0.5, count: a.count)
        var expectedB = [Double](repeating: 0.5, count: b.count)
        for i in 0..<shape.count {
          let index = NaiveIndexing.multiIndex(i, in: shape)
          let ia = NaiveIndexing.broadcastSource(index, operand: aShape)
          let ib = NaiveIndexing.broadcastSource(index, operand: bShape)
          let (da, db) = [(1, 1), (1, -1), (b[ib], a[ia]), (1 / b[ib], -a[ia] / (b[ib] * b[ib]))][op.rawValue]
          expectedA[ia] += dy[i] * da
          expectedB[ib] += dy[i] * db
        }
        // Start from 0.5 to check that the kernel accumulates rather than overwrites.
        var gotA = [Double](repeating: 0.5, count: a.count)
        var gotB = [Double](repeating: 0.5, count: b.count)
        Broadcast.accumulateGradient(op, withRespectTo: .left, upstream: dy, output: y, a, aShape,
                                     b, bShape, shape: shape, into: &gotA)
        Broadcast.accumulateGradient(op, withRespectTo: .right, upstream: dy, output: y, a, aShape,
                                     b, bShape, shape: shape, into: &gotB)
        for (g, e) in zip(gotA + gotB, expectedA + expectedB) {
          XCTAssertEqual(g, e, accuracy: 1e-12, "\(op) \(aShape) with \(bShape)")
        }
      }
    }
  }

  func testSumOverAxesAndBroadcastBack() {
    let xShape: Shape = [2, 3, 4]
    let x: [Float] = testValues(xShape.count)
    let kept: Shape = [2, 1, 4]
    var sums = [Float](repeating: 0, count: kept.count)
    Broadcast.accumulateSum(x, shape: xShape, into: &sums, shape: kept)
    for n in 0..<2 {
      for k in 0..<4 {
        let expected = (0..<3).reduce(Float(0)) { $0 + x[(n * 3 + $1) * 4 + k] }
        XCTAssertEqual(sums[n * 4 + k], expected, accuracy: 1e-6)
      }
    }
    var spread = [Float](repeating: 1, count: xShape.count)
    Broadcast.accumulateBroadcast(sums, shape: kept, into: &spread, shape: xShape)
    for i in 0..<xShape.count {
      let index = NaiveIndexing.multiIndex(i, in: xShape)
      XCTAssertEqual(spread[i], 1 + sums[index[0] * 4 + index[2]])
    }
  }
}
