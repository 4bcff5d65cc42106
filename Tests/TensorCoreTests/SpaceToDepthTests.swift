import TensorCore
import XCTest

final class SpaceToDepthTests: XCTestCase {
  /// y[n, c·f² + dy·f + dx, i, j] = x[n, c, f·i + dy, f·j + dx], Glow's squeeze2d order.
  func testChannelOrderMatchesGlow() {
    for f in [2, 3] {
      let shape: Shape = [2, 3, 2 * f, 3 * f]
      let x = (0..<shape.count).map(Float.init)
      var y = [Float](repeating: -1, count: shape.count)
      SpaceToDepth.squeeze(x, shape: shape, factor: f, into: &y)
      let out = SpaceToDepth.squeezedShape(shape, factor: f)
      XCTAssertEqual(out, [2, 3 * f * f, 2, 3])
      for n in 0..<2 { for c in 0..<3 { for dy in 0..<f { for dx in 0..<f {
        for i in 0..<2 { for j in 0..<3 {
          let channel = c * f * f + dy * f + dx
          XCTAssertEqual(y[NaiveIndexing.flat([n, channel, i, j], in: out)],
                         x[NaiveIndexing.flat([n, c, f * i + dy, f * j + dx], in: shape)])
        } }
      } } } }
    }
  }

  func testSmallExampleByHand() {
    // One 4×4 channel holding 0...15: channel k of the output takes the (k/2, k%2) corner of
    // every 2×2 block.
    let x = (0..<16).map(Float.init)
    var y = [Float](repeating: 0, count: 16)
    SpaceToDepth.squeeze(x, shape: [1, 1, 4, 4], factor: 2, into: &y)
    XCTAssertEqual(y, [0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15])
  }

  func testUnsqueezeInvertsSqueeze() {
    let shape: Shape = [2, 3, 4, 6]
    let x = (0..<shape.count).map(Float.init)
    var squeezed = [Float](repeating: 0, count: shape.count)
    SpaceToDepth.squeeze(x, shape: shape, factor: 2, into: &squeezed)
    var back = [Float](repeating: 0, count: shape.count)
    SpaceToDepth.unsqueeze(squeezed, shape: [2, 12, 2, 3], factor: 2, into: &back)
    XCTAssertEqual(back, x)
    XCTAssertEqual(SpaceToDepth.unsqueezedShape([2, 12, 2, 3], factor: 2), shape)
  }

  /// The gradient of squeeze is unsqueeze (added), and vice versa.
  func testGradientKernelsAreTheInverseMaps() {
    let shape: Shape = [1, 2, 4, 2]
    let x = (0..<shape.count).map(Double.init)
    var squeezed = [Double](repeating: 0, count: shape.count)
    SpaceToDepth.squeeze(x, shape: shape, factor: 2, into: &squeezed)
    var dx = [Double](repeating: 0, count: shape.count)
    SpaceToDepth.accumulateSqueezeGradient(squeezed, shape: shape, factor: 2, into: &dx)
    XCTAssertEqual(dx, x)
    var dz = [Double](repeating: 0, count: shape.count)
    SpaceToDepth.accumulateUnsqueezeGradient(x, shape: [1, 8, 2, 1], factor: 2, into: &dz)
    var expected = [Double](repeating: 0, count: shape.count)
    SpaceToDepth.squeeze(x, shape: [1, 2, 4, 2], factor: 2, into: &expected)
    XCTAssertEqual(dz, expected)
  }
}
