import TensorCore
import XCTest
import _TestSupport

/// Dilated 1-D convolution over [batch, channels, time], run as the 2-D kernel with height 1,
/// against its own direct loops; gradients by the 2-D reference on the same data seen as height 1.
final class Convolution1DTests: XCTestCase {
  struct Case {
    let n, c, t, o, k, stride, padding, dilation: Int
  }

  static let cases = [
    // WaveGlow-like in miniature: dilation 4, padding that keeps the length.
    Case(n: 2, c: 3, t: 20, o: 4, k: 3, stride: 1, padding: 4, dilation: 4),
    Case(n: 3, c: 2, t: 11, o: 2, k: 2, stride: 2, padding: 1, dilation: 3),
    Case(n: 1, c: 4, t: 9, o: 3, k: 4, stride: 1, padding: 0, dilation: 2),
  ]

  func testDilatedConv1DMatchesDirectLoops() {
    for (index, c) in Self.cases.enumerated() {
      check(c, Double.self, seed: 40 + UInt64(index))
      check(c, Float.self, seed: 40 + UInt64(index))
    }
  }

  func check<S: TensorScalar>(_ c: Case, _: S.Type, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let x = KernelCheck.random(c.n * c.c * c.t, &rng)
    let w = KernelCheck.random(c.o * c.c * c.k, &rng)
    let bias = KernelCheck.random(c.o, &rng)
    let window = ConvolutionWindow.temporal(stride: c.stride, padding: c.padding, dilation: c.dilation)
    let g = ConvolutionGeometry(input: [c.n, c.c, c.t], weight: [c.o, c.c, c.k], window: window)
    let expected = ConvolutionReference.forward1D(
      input: x, n: c.n, c: c.c, t: c.t, weight: w, o: c.o, k: c.k, bias: bias,
      stride: c.stride, padding: c.padding, dilation: c.dilation)
    let outT = expected.count / (c.n * c.o)
    XCTAssertEqual(g.outputShape(rank: 3), [c.n, c.o, outT], "\(c)")

    var scratch = KernelCheck.poisonedScratch(g.scratchCount, S.self)
    var y = [S](repeating: .nan, count: expected.count)
    Convolution.forward(g, input: x.map { S($0) }, weight: w.map { S($0) }, bias: bias.map { S($0) },
                        output: &y, scratch: &scratch)
    KernelCheck.assertClose(y, expected, "conv1d forward \(c)")

    let dy = KernelCheck.random(expected.count, &rng)
    var dx = [S](repeating: 0, count: x.count), dw = [S](repeating: 0, count: w.count)
    var db = [S](repeating: 0, count: c.o)
    Convolution.backward(g, input: x.map { S($0) }, weight: w.map { S($0) }, dOutput: dy.map { S($0) },
                         dInput: &dx, dWeight: &dw, dBias: &db, scratch: &scratch)
    let z = ConvolutionReference.Sizes(n: c.n, c: c.c, h: 1, w: c.t, o: c.o, kh: 1, kw: c.k, window: window)
    let grads = ConvolutionReference.backward(z, input: x, weight: w, dOutput: dy)
    KernelCheck.assertClose(dx, grads.dInput, "conv1d dInput \(c)")
    KernelCheck.assertClose(dw, grads.dWeight, "conv1d dWeight \(c)")
    KernelCheck.assertClose(db, grads.dBias, "conv1d dBias \(c)")
  }
}
