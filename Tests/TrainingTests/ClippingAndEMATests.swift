import Training
import XCTest
import _TestSupport

final class GradientClippingTests: XCTestCase {
  func testClipScalesToMaxNormExactly() {
    var rng = SeededGenerator(seed: 11)
    var g = (0..<1001).map { _ in Float.random(in: -3...3, using: &rng) }
    let reference = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let before = g.withUnsafeMutableBufferPointer { GradientClipping.clip($0, maxNorm: 2.5) }
    XCTAssertEqual(before, reference, accuracy: reference * 1e-12)
    let after = g.withUnsafeBufferPointer { GradientClipping.globalNorm($0) }
    XCTAssertEqual(after, 2.5, accuracy: 2.5 * 1e-6)
  }

  func testClipLeavesSmallGradientsUntouched() {
    var g: [Float] = [0.3, -0.4]
    let before = g.withUnsafeMutableBufferPointer { GradientClipping.clip($0, maxNorm: 1) }
    XCTAssertEqual(before, 0.5, accuracy: 1e-7)
    XCTAssertEqual(g, [0.3, -0.4])
  }

  func testClipLeavesNonFiniteGradientsUntouched() {
    var g: [Float] = [3, .nan, 4]
    let before = g.withUnsafeMutableBufferPointer { GradientClipping.clip($0, maxNorm: 1) }
    XCTAssertTrue(before.isNaN)
    XCTAssertEqual(g[0], 3)
    XCTAssertEqual(g[2], 4)
  }
}

final class ExponentialMovingAverageTests: XCTestCase {
  func testShadowFollowsWarmupFormula() {
    let steps: [[Float]] = [[1, 2], [3, -1], [0.5, 0.5], [2, 2]]
    var params: [Float] = [0, 10]
    let ema = params.withUnsafeBufferPointer { ExponentialMovingAverage(copying: $0, decay: 0.25) }
    var expected = params.map(Double.init)
    for (t, values) in steps.enumerated() {
      // (1+t)/(10+t) is 0.1, 0.18, 0.25, 0.31: the cap 0.25 takes over from t = 2 on.
      let d = min(0.25, Double(1 + t) / Double(10 + t))
      XCTAssertEqual(ema.currentDecay, d, accuracy: 1e-15)
      params = values
      params.withUnsafeBufferPointer { ema.update(from: $0) }
      for i in expected.indices { expected[i] = d * expected[i] + (1 - d) * Double(values[i]) }
      for i in expected.indices { XCTAssertEqual(Double(ema.shadow[i]), expected[i], accuracy: 1e-6) }
    }
    XCTAssertEqual(ema.updateCount, 4)
    var out: [Float] = [0, 0]
    out.withUnsafeMutableBufferPointer { ema.copyShadow(into: $0) }
    XCTAssertEqual(out, ema.shadow)
  }

  func testRestoreContinuesTheSameAverage() throws {
    let start: [Float] = [1, 2, 3]
    let a = start.withUnsafeBufferPointer { ExponentialMovingAverage(copying: $0, decay: 0.99) }
    let b = start.withUnsafeBufferPointer { ExponentialMovingAverage(copying: $0, decay: 0.99) }
    let update: [Float] = [4, 5, 6]
    for _ in 0..<3 { update.withUnsafeBufferPointer { a.update(from: $0) } }
    try b.restore(shadow: a.shadow, updateCount: a.updateCount)
    update.withUnsafeBufferPointer { a.update(from: $0); b.update(from: $0) }
    XCTAssertEqual(a.shadow.map(\.bitPattern), b.shadow.map(\.bitPattern))
    XCTAssertThrowsError(try b.restore(shadow: [1], updateCount: 0))
  }
}
