import TensorCore
import XCTest
import _TestSupport

/// The im2col convolution against direct loops: forward and all three backward outputs.
final class ConvolutionTests: XCTestCase {
  typealias Sizes = ConvolutionReference.Sizes

  /// Each case with an optional forced block size (nil: the geometry's own choice).
  static let cases: [(Sizes, imagesPerBlock: Int?)] = [
    (Sizes(n: 1, c: 1, h: 5, w: 5, o: 1, kh: 3, kw: 3, window: .init(padding: 1)), nil),
    // Non-square input and kernel, per-axis stride, padding and dilation.
    (Sizes(n: 2, c: 3, h: 7, w: 6, o: 4, kh: 3, kw: 2,
           window: .init(strideHeight: 2, strideWidth: 1, paddingHeight: 1, paddingWidth: 0,
                         dilationHeight: 1, dilationWidth: 2)), nil),
    (Sizes(n: 3, c: 2, h: 8, w: 9, o: 3, kh: 3, kw: 3, window: .init(stride: 2, padding: 2, dilation: 2)), nil),
    (Sizes(n: 3, c: 2, h: 9, w: 7, o: 2, kh: 2, kw: 3,
           window: .init(strideHeight: 3, strideWidth: 2, paddingHeight: 0, paddingWidth: 1,
                         dilationHeight: 1, dilationWidth: 1)), nil),
    // Padding wider than the kernel: some output rows and columns see only zeros.
    (Sizes(n: 2, c: 1, h: 3, w: 3, o: 2, kh: 2, kw: 2, window: .init(padding: 3)), nil),
    // "Same" padding with a kernel wider than the image: some taps see no valid column at all.
    (Sizes(n: 2, c: 2, h: 4, w: 3, o: 2, kh: 5, kw: 7,
           window: .init(strideHeight: 1, strideWidth: 1, paddingHeight: 2, paddingWidth: 3,
                         dilationHeight: 1, dilationWidth: 1)), nil),
    // "Same" padding through dilation (output rows as long as input rows).
    (Sizes(n: 2, c: 3, h: 7, w: 6, o: 2, kh: 3, kw: 3, window: .init(padding: 2, dilation: 2)), nil),
    // Pointwise, in blocks (the whole batch) and one image at a time (no im2col at all).
    (Sizes(n: 4, c: 3, h: 6, w: 5, o: 2, kh: 1, kw: 1, window: .init()), nil),
    (Sizes(n: 3, c: 3, h: 6, w: 5, o: 4, kh: 1, kw: 1, window: .init()), 1),
    // 1×1 with stride is not pointwise: it goes through im2col.
    (Sizes(n: 2, c: 2, h: 5, w: 4, o: 3, kh: 1, kw: 1, window: .init(stride: 2)), nil),
    // A partial last block (5 images in blocks of 2), and the one-image path of a 3×3 kernel.
    (Sizes(n: 5, c: 2, h: 5, w: 5, o: 3, kh: 3, kw: 3, window: .init(padding: 1)), 2),
    (Sizes(n: 3, c: 4, h: 6, w: 6, o: 5, kh: 3, kw: 3, window: .init(padding: 1)), 1),
  ]

  func testForwardAndBackwardMatchDirectLoops() {
    for (index, (sizes, block)) in Self.cases.enumerated() {
      check(sizes, imagesPerBlock: block, Double.self, seed: 10 + UInt64(index))
      check(sizes, imagesPerBlock: block, Float.self, seed: 10 + UInt64(index))
    }
  }

  func testBackwardComputesOnlyTheRequestedGradients() {
    let z = Sizes(n: 2, c: 2, h: 5, w: 4, o: 3, kh: 3, kw: 3, window: .init(padding: 1))
    var rng = SeededGenerator(seed: 7)
    let x = KernelCheck.random(z.inputShape.count, &rng)
    let w = KernelCheck.random(z.weightShape.count, &rng)
    let dy = KernelCheck.random(z.outputCount, &rng)
    let expected = ConvolutionReference.backward(z, input: x, weight: w, dOutput: dy)
    let g = ConvolutionGeometry(input: z.inputShape, weight: z.weightShape, window: z.window)
    var dWeight = [Double](repeating: 0, count: w.count)
    var scratch = KernelCheck.poisonedScratch(g.scratchCount, Double.self)
    Convolution.backward(g, input: x, weight: w, dOutput: dy, dInput: nil, dWeight: &dWeight,
                         dBias: nil, scratch: &scratch)
    KernelCheck.assertClose(dWeight, expected.dWeight, "dWeight alone")
  }

  /// Forward with and without bias, then backward accumulating onto non-zero gradients.
  func check<S: TensorScalar>(_ z: Sizes, imagesPerBlock: Int?, _: S.Type, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let x = KernelCheck.random(z.inputShape.count, &rng)
    let w = KernelCheck.random(z.weightShape.count, &rng)
    let bias = KernelCheck.random(z.o, &rng)
    let dy = KernelCheck.random(z.outputCount, &rng)
    var g = ConvolutionGeometry(input: z.inputShape, weight: z.weightShape, window: z.window)
    if let imagesPerBlock { g.imagesPerBlock = imagesPerBlock }
    let label = "\(z) block \(g.imagesPerBlock)"
    XCTAssertEqual(g.outputShape(rank: 4), [z.n, z.o, z.oh, z.ow], label)

    let xs = x.map { S($0) }, ws = w.map { S($0) }, bs = bias.map { S($0) }, dys = dy.map { S($0) }
    var scratch = KernelCheck.poisonedScratch(g.scratchCount, S.self)
    var y = [S](repeating: .nan, count: z.outputCount)
    Convolution.forward(g, input: xs, weight: ws, bias: bs, output: &y, scratch: &scratch)
    KernelCheck.assertClose(y, ConvolutionReference.forward(z, input: x, weight: w, bias: bias),
                            "forward with bias, \(label)")
    Convolution.forward(g, input: xs, weight: ws, bias: nil, output: &y, scratch: &scratch)
    KernelCheck.assertClose(y, ConvolutionReference.forward(z, input: x, weight: w, bias: nil),
                            "forward, \(label)")

    let start = (KernelCheck.random(x.count, &rng), KernelCheck.random(w.count, &rng),
                 KernelCheck.random(z.o, &rng))
    var dx = start.0.map { S($0) }, dw = start.1.map { S($0) }, db = start.2.map { S($0) }
    Convolution.backward(g, input: xs, weight: ws, dOutput: dys, dInput: &dx, dWeight: &dw,
                         dBias: &db, scratch: &scratch)
    let expected = ConvolutionReference.backward(z, input: x, weight: w, dOutput: dy)
    KernelCheck.assertClose(dx, zip(start.0, expected.dInput).map(+), "dInput, \(label)")
    KernelCheck.assertClose(dw, zip(start.1, expected.dWeight).map(+), "dWeight, \(label)")
    KernelCheck.assertClose(db, zip(start.2, expected.dBias).map(+), "dBias, \(label)")
  }
}
