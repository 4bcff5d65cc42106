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
    // Glow's conditioner on tiny images: few output channels (shiftOutput by default), with
    // interior planes in a block, a partial block, 2×2 images and 1×1 images (every tap but the
    // centre reads only padding).
    (Sizes(n: 5, c: 6, h: 4, w: 4, o: 2, kh: 3, kw: 3, window: .init(padding: 1)), nil),
    (Sizes(n: 5, c: 6, h: 4, w: 4, o: 2, kh: 3, kw: 3, window: .init(padding: 1)), 3),
    (Sizes(n: 6, c: 5, h: 2, w: 2, o: 3, kh: 3, kw: 3, window: .init(padding: 1)), nil),
    (Sizes(n: 4, c: 3, h: 1, w: 1, o: 2, kh: 3, kw: 3, window: .init(padding: 1)), nil),
    // Few output channels with a non-square kernel and per-axis "same" padding.
    (Sizes(n: 4, c: 5, h: 3, w: 5, o: 1, kh: 3, kw: 5,
           window: .init(strideHeight: 1, strideWidth: 1, paddingHeight: 1, paddingWidth: 2,
                         dilationHeight: 1, dilationWidth: 1)), nil),
    // 1-D over time (tapViews by default): WaveNet's dilated "same" layer, a 1×1, an unpadded
    // kernel that shortens the output, and padding wider than the dilated kernel reaches (the
    // outer taps see no input column at all).
    (Sizes(n: 3, c: 4, h: 1, w: 9, o: 5, kh: 1, kw: 3, window: .temporal(padding: 2, dilation: 2)), nil),
    (Sizes(n: 2, c: 3, h: 1, w: 7, o: 4, kh: 1, kw: 1, window: .temporal()), nil),
    (Sizes(n: 2, c: 2, h: 1, w: 8, o: 3, kh: 1, kw: 3, window: .temporal(dilation: 3)), nil),
    (Sizes(n: 2, c: 2, h: 1, w: 3, o: 2, kh: 1, kw: 3, window: .temporal(padding: 4, dilation: 4)), nil),
    // Strided 1-D (unfoldTransposed by default): WaveGlow's upsampler as the adjoint (k = 2 ·
    // stride), padding, a kernel shorter than the stride (samples skipped), and a last window
    // cut short by the input's end.
    (Sizes(n: 2, c: 3, h: 1, w: 20, o: 2, kh: 1, kw: 8, window: .temporal(stride: 4)), nil),
    (Sizes(n: 2, c: 2, h: 1, w: 9, o: 3, kh: 1, kw: 3, window: .temporal(stride: 2, padding: 2)), nil),
    (Sizes(n: 1, c: 2, h: 1, w: 11, o: 2, kh: 1, kw: 2, window: .temporal(stride: 3)), nil),
    (Sizes(n: 2, c: 1, h: 1, w: 6, o: 1, kh: 1, kw: 5, window: .temporal(stride: 3, padding: 1)), nil),
  ]

  /// Every case by every method that applies, with input and output each in NCHW and CNHW.
  func testForwardAndBackwardMatchDirectLoops() {
    for (index, (sizes, block)) in Self.cases.enumerated() {
      for variant in Self.variants(of: ConvolutionGeometry(input: sizes.inputShape, weight: sizes.weightShape,
                                                          window: sizes.window)) {
        var g = variant
        if let block { g.imagesPerBlock = block }
        check(sizes, g, Double.self, seed: 10 + UInt64(index))
        check(sizes, g, Float.self, seed: 10 + UInt64(index))
      }
    }
  }

  func testFewOutputChannelsOnSameSizeImagesShiftTheOutput() {
    let few = ConvolutionGeometry(input: [2, 64, 4, 4], weight: [4, 64, 3, 3], window: .init(padding: 1))
    XCTAssertEqual(few.method, .shiftOutput)
    let many = ConvolutionGeometry(input: [2, 4, 4, 4], weight: [64, 4, 3, 3], window: .init(padding: 1))
    XCTAssertEqual(many.method, .unfoldInput)
    let strided = ConvolutionGeometry(input: [2, 64, 4, 4], weight: [4, 64, 3, 3],
                                      window: .init(stride: 2, padding: 1))
    XCTAssertEqual(strided.method, .unfoldInput)
  }

  func testOneDimensionalConvolutionsUseTapViewsOrTransposedColumns() {
    let wavenet = ConvolutionGeometry(input: [8, 64, 500], weight: [128, 64, 3], window: .temporal(padding: 4, dilation: 4))
    XCTAssertEqual(wavenet.method, .tapViews)
    XCTAssertEqual(ConvolutionGeometry(input: [8, 64, 500], weight: [128, 64, 1], window: .temporal()).method, .tapViews)
    let strided = ConvolutionGeometry(input: [8, 64, 500], weight: [128, 64, 2], window: .temporal(stride: 2))
    XCTAssertEqual(strided.method, .unfoldTransposed)
    let dilated = ConvolutionGeometry(input: [8, 64, 500], weight: [128, 64, 2], window: .temporal(stride: 2, dilation: 2))
    XCTAssertEqual(dilated.method, .unfoldInput)
  }

  func testBackwardComputesOnlyTheRequestedGradients() {
    let z = Sizes(n: 3, c: 4, h: 5, w: 4, o: 3, kh: 3, kw: 3, window: .init(padding: 1))
    var rng = SeededGenerator(seed: 7)
    let x = KernelCheck.random(z.inputShape.count, &rng)
    let w = KernelCheck.random(z.weightShape.count, &rng)
    let dy = KernelCheck.random(z.outputCount, &rng)
    let expected = ConvolutionReference.backward(z, input: x, weight: w, dOutput: dy)
    for g in Self.variants(of: ConvolutionGeometry(input: z.inputShape, weight: z.weightShape, window: z.window))
    where g.inputLayout == .nchw && g.outputLayout == .nchw {
      var dWeight = [Double](repeating: 0, count: w.count), dInput = [Double](repeating: 0, count: x.count)
      var scratch = KernelCheck.poisonedScratch(g.scratchCount, Double.self)
      Convolution.backward(g, input: x, weight: w, dOutput: dy, dInput: nil, dWeight: &dWeight,
                           dBias: nil, scratch: &scratch)
      KernelCheck.assertClose(dWeight, expected.dWeight, "dWeight alone, \(g.method)")
      Convolution.backward(g, input: x, weight: w, dOutput: dy, dInput: &dInput, dWeight: nil,
                           dBias: nil, scratch: &scratch)
      KernelCheck.assertClose(dInput, expected.dInput, "dInput alone, \(g.method)")
    }
  }

  /// `g` under each method that applies to it and each pair of input and output layouts.
  static func variants(of g: ConvolutionGeometry) -> [ConvolutionGeometry] {
    let methods: [ConvolutionMethod] = [.unfoldInput] + (g.tapsAreShifts ? [.shiftOutput] : [])
      + (g.tapsAreViews ? [.tapViews] : []) + (g.unfoldsTransposed ? [.unfoldTransposed] : [])
    var all: [ConvolutionGeometry] = []
    for method in methods {
      for input in [ImageLayout.nchw, .cnhw] {
        for output in [ImageLayout.nchw, .cnhw] {
          var v = g
          v.method = method
          v.inputLayout = input
          v.outputLayout = output
          all.append(v)
        }
      }
    }
    return all
  }

  /// Forward with and without bias, then backward accumulating onto non-zero gradients; tensors
  /// are passed in `g`'s layouts and compared in NCHW.
  func check<S: TensorScalar>(_ z: Sizes, _ g: ConvolutionGeometry, _: S.Type, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let x = KernelCheck.random(z.inputShape.count, &rng)
    let w = KernelCheck.random(z.weightShape.count, &rng)
    let bias = KernelCheck.random(z.o, &rng)
    let dy = KernelCheck.random(z.outputCount, &rng)
    let label = "\(z) block \(g.imagesPerBlock) \(g.method) \(g.inputLayout)→\(g.outputLayout)"
    XCTAssertEqual(g.outputShape(rank: 4), [z.n, z.o, z.oh, z.ow], label)
    let inputs = Layouts(g.inputLayout, n: z.n, c: z.c, pixels: z.h * z.w)
    let outputs = Layouts(g.outputLayout, n: z.n, c: z.o, pixels: z.oh * z.ow)

    let xs = inputs.arranged(x).map { S($0) }, ws = w.map { S($0) }, bs = bias.map { S($0) }
    var scratch = KernelCheck.poisonedScratch(g.scratchCount, S.self)
    var y = [S](repeating: .nan, count: z.outputCount)
    Convolution.forward(g, input: xs, weight: ws, bias: bs, output: &y, scratch: &scratch)
    KernelCheck.assertClose(outputs.nchw(y), ConvolutionReference.forward(z, input: x, weight: w, bias: bias),
                            "forward with bias, \(label)")
    Convolution.forward(g, input: xs, weight: ws, bias: nil, output: &y, scratch: &scratch)
    KernelCheck.assertClose(outputs.nchw(y), ConvolutionReference.forward(z, input: x, weight: w, bias: nil),
                            "forward, \(label)")

    let start = (KernelCheck.random(x.count, &rng), KernelCheck.random(w.count, &rng),
                 KernelCheck.random(z.o, &rng))
    var dx = inputs.arranged(start.0).map { S($0) }, dw = start.1.map { S($0) }, db = start.2.map { S($0) }
    Convolution.backward(g, input: xs, weight: ws, dOutput: outputs.arranged(dy).map { S($0) },
                         dInput: &dx, dWeight: &dw, dBias: &db, scratch: &scratch)
    let expected = ConvolutionReference.backward(z, input: x, weight: w, dOutput: dy)
    KernelCheck.assertClose(inputs.nchw(dx), zip(start.0, expected.dInput).map(+), "dInput, \(label)")
    KernelCheck.assertClose(dw, zip(start.1, expected.dWeight).map(+), "dWeight, \(label)")
    KernelCheck.assertClose(db, zip(start.2, expected.dBias).map(+), "dBias, \(label)")
  }
}

/// Reorders test tensors [n, c, pixels] between NCHW and an `ImageLayout`, by explicit indices.
struct Layouts {
  let layout: ImageLayout
  let n, c, pixels: Int

  init(_ layout: ImageLayout, n: Int, c: Int, pixels: Int) {
    self.layout = layout
    self.n = n
    self.c = c
    self.pixels = pixels
  }

  /// Index of (b, ch, p) in the layout.
  func index(_ b: Int, _ ch: Int, _ p: Int) -> Int {
    layout == .nchw ? (b * c + ch) * pixels + p : (ch * n + b) * pixels + p
  }

  /// NCHW values rearranged into the layout.
  func arranged<T>(_ values: [T]) -> [T] {
    var out = values
    for b in 0..<n { for ch in 0..<c { for p in 0..<pixels {
      out[index(b, ch, p)] = values[(b * c + ch) * pixels + p]
    } } }
    return out
  }

  /// Values in the layout rearranged into NCHW.
  func nchw<T>(_ values: [T]) -> [T] {
    var out = values
    for b in 0..<n { for ch in 0..<c { for p in 0..<pixels {
      out[(b * c + ch) * pixels + p] = values[index(b, ch, p)]
    } } }
    return out
  }
}
