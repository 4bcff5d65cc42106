import Autodiff
import TensorCore
import Foundation
import XCTest

/// Forward values and shapes of the tape ops against hand-written expectations.
final class OpForwardTests: XCTestCase {
  let tape = Tape<Double>()

  func input(_ shape: Shape, _ scalars: [Double]? = nil) -> Variable<Double> {
    tape.input(Tensor(shape: shape, scalars: scalars ?? (0..<shape.count).map(Double.init)))
  }

  func testBroadcastOperatorsAndScalarConstants() {
    let a = input([2, 3]), b = input([3], [10, 20, 30])
    XCTAssertEqual((a + b).scalars, [10, 21, 32, 13, 24, 35])
    XCTAssertEqual((b - a).shape, [2, 3])
    XCTAssertEqual((a * input([2, 1], [1, -1])).scalars, [0, 1, 2, -3, -4, -5])
    XCTAssertEqual((2 - b).scalars, [-8, -18, -28])
    XCTAssertEqual((b / 10 + 1).scalars, [2, 3, 4])
    XCTAssertEqual((60 / b).scalars, [6, 3, 2])
    XCTAssertEqual((-b * 0.5).scalars, [-5, -10, -15])
  }

  func testReductionShapesAndValues() {
    let x = input([2, 3, 4])
    let kept = x.sum(alongAxes: [0, 2], keepingDimensions: true)
    XCTAssertEqual(kept.shape, [1, 3, 1])
    // x[n, j, k] = 12n + 4j + k, so Σ_{n,k} = 48 + 32j + 12.
    XCTAssertEqual(kept.scalars, [60, 92, 124])
    XCTAssertEqual(x.sum(alongAxes: [-1, 0]).shape, [3])
    XCTAssertEqual(x.mean(alongAxes: [1, 2]).scalars, [5.5, 17.5])
    XCTAssertEqual(x.mean().scalars, [11.5])
    let lse = input([2, 2], [0, 0, 1000, 1000]).logSumExp(alongAxis: 1, keepingDimensions: true)
    XCTAssertEqual(lse.shape, [2, 1])
    XCTAssertEqual(lse.scalars[0], Foundation.log(2), accuracy: 1e-15)
    XCTAssertEqual(lse.scalars[1], 1000 + Foundation.log(2), accuracy: 1e-12)
  }

  func testReshapeInfersWildcardAndTransposeMatchesIndexing() {
    let x = input([2, 3, 4])
    XCTAssertEqual(x.reshaped(to: [4, -1]).shape, [4, 6])
    let t = x.transposed([1, 2, 0])
    XCTAssertEqual(t.shape, [3, 4, 2])
    for j in 0..<3 { for k in 0..<4 { for n in 0..<2 {
      XCTAssertEqual(t.scalars[(j * 4 + k) * 2 + n], Double(n * 12 + j * 4 + k))
    } } }
    XCTAssertEqual(input([2, 3]).transposed().scalars, [0, 3, 1, 4, 2, 5])
  }

  func testSplitThenConcatenateRestoresInput() {
    let x = input([2, 5, 2])
    let parts = x.split(alongAxis: 1, sizes: [2, 1, 2])
    XCTAssertEqual(parts.map(\.shape), [[2, 2, 2], [2, 1, 2], [2, 2, 2]])
    XCTAssertEqual(parts[1].scalars, [4, 5, 14, 15])
    XCTAssertEqual(tape.concatenate(parts, alongAxis: 1).scalars, x.scalars)
    let (head, tail) = x.split(alongAxis: -1, at: 1)
    XCTAssertEqual(head.concatenated(with: tail, alongAxis: 2).scalars, x.scalars)
    XCTAssertEqual(x.sliced(alongAxis: 0, 1..<2).scalars, Array(x.scalars[10...]))
  }

  /// Six parts take two chained nodes (4 parts, then the result and 2 more).
  func testConcatenateManyPartsChains() {
    let parts = (0..<6).map { input([1, 2], [Double($0), Double($0) + 0.5]) }
    let nodesBefore = tape.nodes.count
    let joined = tape.concatenate(parts, alongAxis: 0)
    XCTAssertEqual(tape.nodes.count - nodesBefore, 2)
    XCTAssertEqual(joined.shape, [6, 2])
    XCTAssertEqual(joined.scalars, (0..<6).flatMap { [Double($0), Double($0) + 0.5] })
  }

  func testSqueezeRoundTripAndChannelOrder() {
    let x = input([1, 2, 4, 4])
    let z = x.squeezed()
    XCTAssertEqual(z.shape, [1, 8, 2, 2])
    // Channel 1·4 + 1·2 + 0 = 6 holds input channel 1 at rows 2i + 1, columns 2j.
    for i in 0..<2 { for j in 0..<2 {
      XCTAssertEqual(z.scalars[(6 * 2 + i) * 2 + j], Double(16 + (2 * i + 1) * 4 + 2 * j))
    } }
    XCTAssertEqual(z.unsqueezed().scalars, x.scalars)
  }

  func testGatherRowsInGivenOrder() {
    let x = input([3, 2])
    XCTAssertEqual(x.gathered(indices: [2, 2, 0]).scalars, [4, 5, 4, 5, 0, 1])
    XCTAssertEqual(x.gathered(indices: [1, 0], alongAxis: 1).scalars, [1, 0, 3, 2, 5, 4])
  }

  /// Ops on constants record nodes that need no gradient, so backward skips them.
  func testConstantsGetNoGradient() {
    let w = tape.input(Tensor(shape: [3], scalars: [1, 2, 3]), requiresGradient: true)
    let c = input([2, 3])
    let loss = (c.exp() * w).sum()
    tape.backward(from: loss)
    XCTAssertNil(c.gradient)
    XCTAssertEqual(Array(w.gradient!), (0..<3).map { Foundation.exp(Double($0)) + Foundation.exp(Double($0 + 3)) })
  }
}
