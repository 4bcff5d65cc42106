/// `ConvolutionMethod.unfoldTransposed`: a strided 1-D convolution through the transposed column
/// matrix, one image at a time.
///
/// The usual column matrix [inChannels · k, outTime] reads every stride-th input sample along its
/// rows; its transpose C [outTime, inChannels · k] is made of runs of k adjacent samples,
/// C[t, c·k + j] = x[c, t·stride + j − padding], so unfolding and folding back are copies and adds
/// of whole runs. BLAS takes either orientation at the same cost:
/// ```
/// Y = W · Cᵀ,   dW += dY · C,   dC = dYᵀ · W, then dx[c, t·stride + j − padding] += dC[t, c·k + j]
/// ```
/// WaveGlow's mel upsampler (a transposed convolution with stride 256 and k = 1024, run as this
/// convolution's adjoint) spent an eighth of a training step in the strided unfold and fold before.
enum TransposedUnfoldConvolution {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func forward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    bias: UnsafePointer<S>?, output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
  ) {
    let columns = ConvolutionScratch(g, scratch).columns
    let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: 0, count: g.batch)
    let y = g.outputBlock(output, first: 0, count: g.batch)
    ConvolutionBlocks.fill(y, with: bias)
    for n in 0..<g.batch {
      unfold(g, x, image: n, into: columns)
      S.gemm(transposeA: false, transposeB: true, m: g.outChannels, n: g.outWidth, k: g.patchSize,
             alpha: 1, a: weight, lda: g.patchSize, b: columns, ldb: g.patchSize,
             beta: 1, c: y.plane(n, 0), ldc: y.channelStride)
    }
  }

  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    dOutput: UnsafePointer<S>, dInput: UnsafeMutablePointer<S>?,
    dWeight: UnsafeMutablePointer<S>?, dBias: UnsafeMutablePointer<S>?,
    scratch: UnsafeMutablePointer<S>
  ) {
    let columns = ConvolutionScratch(g, scratch).columns
    let dy = g.outputBlock(UnsafeMutablePointer(mutating: dOutput), first: 0, count: g.batch)
    if let dBias { ConvolutionBlocks.addChannelSums(dy, into: dBias) }
    let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: 0, count: g.batch)
    let dx = dInput.map { g.inputBlock($0, first: 0, count: g.batch) }
    for n in 0..<g.batch {
      if let dWeight {
        unfold(g, x, image: n, into: columns)
        S.gemm(transposeA: false, transposeB: false, m: g.outChannels, n: g.patchSize, k: g.outWidth,
               alpha: 1, a: dy.plane(n, 0), lda: dy.channelStride, b: columns, ldb: g.patchSize,
               beta: 1, c: dWeight, ldc: g.patchSize)
      }
      if let dx {
        S.gemm(transposeA: true, transposeB: false, m: g.outWidth, n: g.patchSize, k: g.outChannels,
               alpha: 1, a: dy.plane(n, 0), lda: dy.channelStride, b: weight, ldb: g.patchSize,
               beta: 0, c: columns, ldc: g.patchSize)
        foldAdding(g, columns, into: dx, image: n)
      }
    }
  }

  /// Calls `body(t, c, j, count, sample)` for each run: C[t, c·k + j ..< c·k + j + count] holds
  /// input samples sample ..< sample + count of channel c; the rest of row t is padding.
  @inline(__always)
  static func forEachRun(_ g: ConvolutionGeometry, _ body: (Int, Int, Int, Int, Int) -> Void) {
    let k = g.kernelWidth, stride = g.window.strideWidth, padding = g.window.paddingWidth
    for t in 0..<g.outWidth {
      let start = t * stride - padding
      let first = max(0, -start), last = min(k, g.width - start)
      guard first < last else { continue }
      for c in 0..<g.inChannels { body(t, c, first, last - first, start + first) }
    }
  }

  /// C [outWidth, patchSize] of image n, zeros where the kernel overhangs the input.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func unfold<S: TensorScalar>(
    _ g: ConvolutionGeometry, _ x: ImageBlock<S>, image n: Int, into columns: UnsafeMutablePointer<S>
  ) {
    if g.window.paddingWidth > 0 || (g.outWidth - 1) * g.window.strideWidth + g.kernelWidth > g.width {
      columns.update(repeating: 0, count: g.outWidth * g.patchSize)
    }
    forEachRun(g) { t, c, j, count, sample in
      (columns + t * g.patchSize + c * g.kernelWidth + j).update(from: x.plane(n, c) + sample, count: count)
    }
  }

  /// dx of image n += C folded back (the adjoint of `unfold`).
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func foldAdding<S: TensorScalar>(
    _ g: ConvolutionGeometry, _ columns: UnsafePointer<S>, into dx: ImageBlock<S>, image n: Int
  ) {
    forEachRun(g) { t, c, j, count, sample in
      let src = columns + t * g.patchSize + c * g.kernelWidth + j, dst = dx.plane(n, c) + sample
      for i in 0..<count { dst[i] += src[i] }
    }
  }
}
