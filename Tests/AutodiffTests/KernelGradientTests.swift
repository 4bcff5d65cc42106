import Autodiff
import TensorCore
import XCTest
import _TestSupport

/// Gradient checks of the GEMM and convolution ops beyond their one line in `primitiveCases`:
/// every transpose combination, bias present and absent, per-axis windows, and a shared operand.
final class KernelGradientTests: XCTestCase {
  static let cases: [GradientCase] = matmulCases + convolutionCases

  static let matmulCases: [GradientCase] = [false, true].flatMap { ta in
    [false, true].flatMap { tb -> [GradientCase] in
      let a: Shape = ta ? [4, 3] : [3, 4], b: Shape = tb ? [2, 4] : [4, 2]
      let batchA: Shape = ta ? [2, 4, 3] : [2, 3, 4], batchB: Shape = tb ? [2, 2, 4] : [2, 4, 2]
      return [
        GradientCase("matmul tA \(ta) tB \(tb)", [.init(a), .init(b)]) { _, x in
          x[0].matmul(x[1], transposeA: ta, transposeB: tb)
        },
        GradientCase("batchedMatmul tA \(ta) tB \(tb)", [.init(batchA), .init(batchB)]) { _, x in
          x[0].batchedMatmul(x[1], transposeA: ta, transposeB: tb)
        },
      ]
    }
  } + [
    // x · xᵀ: both operand gradients land in one accumulator.
    GradientCase("matmul shared operand", [.init([3, 4])]) { _, x in x[0].matmul(x[0], transposeB: true) },
  ]

  static let convolutionCases: [GradientCase] = [
    GradientCase("conv2d per-axis window with bias", [.init([2, 2, 5, 4]), .init([3, 2, 3, 2]), .init([3])]) { _, x in
      x[0].conv2d(x[1], bias: x[2],
                  window: ConvolutionWindow(strideHeight: 2, strideWidth: 1, paddingHeight: 1,
                                            paddingWidth: 0, dilationHeight: 1, dilationWidth: 2))
    },
    GradientCase("conv2d per-axis window without bias", [.init([1, 2, 4, 6]), .init([2, 2, 2, 3])]) { t, x in
      t.conv2d(x[0], x[1],
               window: ConvolutionWindow(strideHeight: 1, strideWidth: 2, paddingHeight: 2,
                                         paddingWidth: 1, dilationHeight: 2, dilationWidth: 1))
    },
    GradientCase("conv2d dilated same padding", [.init([2, 2, 5, 5]), .init([2, 2, 3, 3])]) { _, x in
      x[0].conv2d(x[1], padding: 2, dilation: 2)
    },
    GradientCase("conv2d stride 2", [.init([1, 3, 6, 5]), .init([2, 3, 2, 2]), .init([2])]) { _, x in
      x[0].conv2d(x[1], bias: x[2], stride: 2, padding: 1)
    },
    GradientCase("conv2d pointwise", [.init([2, 3, 3, 2]), .init([4, 3, 1, 1]), .init([4])]) { _, x in
      x[0].conv2d(x[1], bias: x[2])
    },
    GradientCase("conv2d few outputs (shiftOutput)", [.init([3, 4, 3, 3]), .init([2, 4, 3, 3]), .init([2])]) { _, x in
      x[0].conv2d(x[1], bias: x[2], padding: 1)
    },
    // Glow's conditioner order: NCHW in, CNHW between the convolutions, NCHW out.
    GradientCase("conv2d NCHW to CNHW", [.init([3, 2, 3, 4]), .init([4, 2, 3, 3]), .init([4])]) { _, x in
      x[0].conv2d(x[1], bias: x[2], window: .init(padding: 1), outputLayout: .cnhw)
    },
    GradientCase("conv2d pointwise CNHW", [.init([3, 2, 2, 3]), .init([4, 3, 1, 1]), .init([4])]) { _, x in
      x[0].conv2d(x[1], bias: x[2], window: .init(), inputLayout: .cnhw, outputLayout: .cnhw)
    },
    GradientCase("conv2d CNHW to NCHW few outputs", [.init([4, 3, 3, 2]), .init([2, 4, 3, 3]), .init([2])]) { _, x in
      x[0].conv2d(x[1], bias: x[2], window: .init(padding: 1), inputLayout: .cnhw)
    },
    GradientCase("conv1d dilated", [.init([2, 3, 9]), .init([2, 3, 3])]) { _, x in
      x[0].conv1d(x[1], padding: 2, dilation: 2)
    },
    GradientCase("conv1d stride 2 with bias", [.init([2, 2, 8]), .init([3, 2, 2]), .init([3])]) { _, x in
      x[0].conv1d(x[1], bias: x[2], stride: 2, padding: 1)
    },
    // WaveGlow's upsampler: kernel longer than the stride, so outputs overlap.
    GradientCase("convTranspose1d stride 2 kernel 5 with bias", [.init([2, 3, 4]), .init([3, 2, 5]), .init([2])]) { _, x in
      x[0].convTranspose1d(x[1], bias: x[2], stride: 2)
    },
    GradientCase("convTranspose1d stride 3 kernel 3", [.init([3, 2, 3]), .init([2, 4, 3])]) { _, x in
      x[0].convTranspose1d(x[1], stride: 3)
    },
    GradientCase("convTranspose1d stride 1, input used twice", [.init([1, 2, 4]), .init([2, 2, 2])]) { _, x in
      x[0].convTranspose1d(x[1], stride: 1).sliced(alongAxis: 2, 0..<4) + x[0]
    },
    GradientCase("gatedTanh", [.init([2, 4, 3])]) { _, x in x[0].gatedTanh() },
  ]

  func testKernelOpsMatchCentralDifferences() {
    for (i, c) in Self.cases.enumerated() {
      for failure in checkGradients(c, seed: 2000 + UInt64(i)) { XCTFail(failure) }
    }
  }

  func testOutputShapes() {
    let tape = Tape<Double>()
    let a = tape.constant(1, shape: [5, 3]), b = tape.constant(1, shape: [4, 3])
    XCTAssertEqual(a.matmul(b, transposeB: true).shape, [5, 4])
    let x = tape.constant(1, shape: [2, 3, 7, 6]), w = tape.constant(1, shape: [4, 3, 3, 3])
    XCTAssertEqual(x.conv2d(w, stride: 2, padding: 1).shape, [2, 4, 4, 3])
    XCTAssertEqual(x.conv2d(w, window: .init(stride: 2, padding: 1), outputLayout: .cnhw).shape, [4, 2, 4, 3])
    let xc = tape.constant(1, shape: [3, 2, 7, 6])
    XCTAssertEqual(xc.conv2d(w, window: .init(padding: 1), inputLayout: .cnhw).shape, [2, 4, 7, 6])
    let s = tape.constant(1, shape: [8, 4, 50]), k = tape.constant(1, shape: [6, 4, 3])
    XCTAssertEqual(s.conv1d(k, padding: 4, dilation: 4).shape, [8, 6, 50])
    let mel = tape.constant(1, shape: [2, 5, 3]), up = tape.constant(1, shape: [5, 4, 8])
    XCTAssertEqual(mel.convTranspose1d(up, stride: 4).shape, [2, 4, 16])
  }

  /// `convTranspose1d` against its definition, output[n, o, t·s + j] += Σ_c w[c, o, j] · x[n, c, t] + b[o].
  func testConvTranspose1dMatchesItsDefinition() {
    let tape = Tape<Double>()
    var rng = SeededGenerator(seed: 41)
    func random(_ shape: Shape) -> Variable<Double> {
      tape.input(Tensor(shape: shape, scalars: (0..<shape.count).map { _ in .random(in: -1...1, using: &rng) }))
    }
    let (n, c, t, o, k, s) = (2, 3, 5, 2, 7, 3)
    let x = random([n, c, t]), w = random([c, o, k]), b = random([o])
    let y = x.convTranspose1d(w, bias: b, stride: s)
    let length = (t - 1) * s + k
    XCTAssertEqual(y.shape, [n, o, length])
    var expected = [Double](repeating: 0, count: n * o * length)
    let xv = x.scalars, wv = w.scalars, bv = b.scalars
    for i in 0..<n { for p in 0..<o { for q in 0..<length { expected[(i * o + p) * length + q] = bv[p] } } }
    for i in 0..<n { for ci in 0..<c { for ti in 0..<t { for p in 0..<o { for j in 0..<k {
      expected[(i * o + p) * length + ti * s + j] += wv[(ci * o + p) * k + j] * xv[(i * c + ci) * t + ti]
    } } } } }
    for (i, (a, e)) in zip(y.scalars, expected).enumerated() { XCTAssertEqual(a, e, accuracy: 1e-12, "entry \(i)") }
  }

  /// A CNHW output holds the NCHW output with the first two axes swapped, and a CNHW input is read
  /// the same way.
  func testLayoutsOnlyReorderTheValues() {
    let tape = Tape<Double>()
    var rng = SeededGenerator(seed: 31)
    let n = 3, c = 5, o = 2, pixels = 4 * 3
    func random(_ shape: Shape) -> Variable<Double> {
      tape.input(Tensor(shape: shape, scalars: (0..<shape.count).map { _ in .random(in: -1...1, using: &rng) }))
    }
    let x = random([n, c, 4, 3]), w = random([o, c, 3, 3])
    let reference = x.conv2d(w, padding: 1).scalars
    let channelMajor = x.conv2d(w, window: .init(padding: 1), outputLayout: .cnhw).scalars
    let xc = tape.input(Tensor(shape: [c, n, 4, 3], scalars: swapFirstAxes(x.scalars, n, c, pixels)))
    let fromChannelMajor = xc.conv2d(w, window: .init(padding: 1), inputLayout: .cnhw).scalars
    for (i, (a, b)) in zip(swapFirstAxes(channelMajor, o, n, pixels), reference).enumerated() {
      XCTAssertEqual(a, b, accuracy: 1e-12, "CNHW output entry \(i)")
    }
    for (i, (a, b)) in zip(fromChannelMajor, reference).enumerated() {
      XCTAssertEqual(a, b, accuracy: 1e-12, "CNHW input entry \(i)")
    }
  }

  /// [a, b, pixels] → [b, a, pixels]
  private func swapFirstAxes(_ v: [Double], _ a: Int, _ b: Int, _ pixels: Int) -> [Double] {
    var out = v
    for i in 0..<a { for j in 0..<b { for p in 0..<pixels {
      out[(j * a + i) * pixels + p] = v[(i * b + j) * pixels + p]
    } } }
    return out
  }

  /// A second identical step after `reset()` reuses the arena (the im2col scratch included):
  /// no new blocks, same memory used.
  func testSteadyStateStepsDoNotGrowTheArena() {
    let store = ParameterStore<Float>()
    let weight = store.add("w", shape: [8, 4, 3, 3]), bias = store.add("b", shape: [8])
    let tape = Tape<Float>(parameters: store, initialCapacity: 1 << 10)
    let input = Tensor<Float>(repeating: 0.5, shape: [3, 4, 6, 6])
    var usage: [(Int, Int)] = []
    for _ in 0..<3 {
      tape.reset()
      let y = tape.input(input).conv2d(tape.parameter(weight), bias: tape.parameter(bias), padding: 1)
      tape.backward(from: y.sum())
      usage.append((tape.arena.blockAllocations, tape.arena.used))
    }
    XCTAssertEqual(usage[1].0, usage[2].0, "blocks allocated in steady state")
    XCTAssertEqual(usage[1].1, usage[2].1, "arena use per step")
  }
}
