/// `ConvolutionMethod.tapViews`: a 1-D, stride-1 convolution as one GEMM per image and kernel tap
/// on views of the tensors themselves.
///
/// In a [channels, time] image the input that tap j brings under output column t is column
/// t + j · dilation − padding, so for the output columns where that is inside the input,
/// ```
/// Y[:, t₀..<t₁] += W_j · X[:, t₀ + j·d − p ..< t₁ + j·d − p]      W_j = weight[:, :, j]
/// dX[:, shifted] += W_jᵀ · dY[:, t₀..<t₁],   dW_j += dY[:, t₀..<t₁] · X[:, shifted]ᵀ
/// ```
/// and X[:, shifted] is the input plane read at an offset with the plane's own leading dimension:
/// nothing is unfolded, gathered or scattered. Only the weight is regrouped, so that each W_j is
/// a matrix BLAS can read. WaveNet's layers (k = 3 dilated and 1×1 convolutions over long audio)
/// spent about a fifth of a training step unfolding and regrouping before this.
enum TapViewConvolution {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func forward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    bias: UnsafePointer<S>?, output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
  ) {
    let s = ConvolutionScratch(g, scratch)
    ShiftConvolution.regroup(g, weight: weight, into: s.weights)
    let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: 0, count: g.batch)
    let y = g.outputBlock(output, first: 0, count: g.batch)
    ConvolutionBlocks.fill(y, with: bias)
    ParallelLoop.forEach(g.batch) { n in
      forEachTap(g) { j, range, shift in
        S.gemm(transposeA: false, transposeB: false, m: g.outChannels, n: range.count, k: g.inChannels,
               alpha: 1, a: s.weights + j * g.inChannels, lda: g.kernelWidth * g.inChannels,
               b: x.plane(n, 0) + range.lowerBound + shift, ldb: x.channelStride,
               beta: 1, c: y.plane(n, 0) + range.lowerBound, ldc: y.channelStride)
      }
    }
  }

  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    dOutput: UnsafePointer<S>, dInput: UnsafeMutablePointer<S>?,
    dWeight: UnsafeMutablePointer<S>?, dBias: UnsafeMutablePointer<S>?,
    scratch: UnsafeMutablePointer<S>
  ) {
    let s = ConvolutionScratch(g, scratch)
    let dy = g.outputBlock(UnsafeMutablePointer(mutating: dOutput), first: 0, count: g.batch)
    if let dBias { ConvolutionBlocks.addChannelSums(dy, into: dBias) }
    guard dWeight != nil || dInput != nil else { return }
    let rowStride = g.kernelWidth * g.inChannels
    let dRegrouped = s.weights + g.outChannels * rowStride
    ShiftConvolution.regroup(g, weight: weight, into: s.weights)
    let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: 0, count: g.batch)
    if let dInput {
      let dx = g.inputBlock(dInput, first: 0, count: g.batch)
      ParallelLoop.forEach(g.batch) { n in
        forEachTap(g) { j, range, shift in
          S.gemm(transposeA: true, transposeB: false, m: g.inChannels, n: range.count, k: g.outChannels,
                 alpha: 1, a: s.weights + j * g.inChannels, lda: rowStride,
                 b: dy.plane(n, 0) + range.lowerBound, ldb: dy.channelStride,
                 beta: 1, c: dx.plane(n, 0) + range.lowerBound + shift, ldc: dx.channelStride)
        }
      }
    }
    guard let dWeight else { return }
    // Blocks of output channels are disjoint rows of dW, each summed over the images in order:
    // the same sums whichever thread takes a block.
    let blocks = (g.outChannels + weightRowsPerBlock - 1) / weightRowsPerBlock
    ParallelLoop.forEach(blocks) { b in
      let rows = b * weightRowsPerBlock..<min(g.outChannels, (b + 1) * weightRowsPerBlock)
      let regrouped = dRegrouped + rows.lowerBound * rowStride
      for j in 0..<g.kernelWidth where validColumns(g, tap: j).isEmpty {
        // A tap that never overlaps the input is skipped below and its rows stay zero.
        for o in 0..<rows.count { (regrouped + o * rowStride + j * g.inChannels).update(repeating: 0, count: g.inChannels) }
      }
      for n in 0..<g.batch {
        forEachTap(g) { j, range, shift in
          S.gemm(transposeA: false, transposeB: true, m: rows.count, n: g.inChannels, k: range.count,
                 alpha: 1, a: dy.plane(n, rows.lowerBound) + range.lowerBound, lda: dy.channelStride,
                 b: x.plane(n, 0) + range.lowerBound + shift, ldb: x.channelStride,
                 beta: n == 0 ? 0 : 1, c: regrouped + j * g.inChannels, ldc: rowStride)
        }
      }
    }
    ShiftConvolution.addRegrouped(g, dRegrouped, into: dWeight)
  }

  /// Output channels per block of the weight gradient: blocks run in parallel, and 32 rows keep
  /// each product wide enough for BLAS.
  static let weightRowsPerBlock = 32

  /// Output columns t whose tap-j input column t + j · dilation − padding lies inside the input.
  static func validColumns(_ g: ConvolutionGeometry, tap j: Int) -> Range<Int> {
    let shift = j * g.window.dilationWidth - g.window.paddingWidth
    let lower = max(0, -shift), upper = min(g.outWidth, g.width - shift)
    return lower < upper ? lower..<upper : 0..<0
  }

  /// Calls `body(j, columns, shift)` for each tap j with a non-empty range of valid output columns;
  /// output column t reads input column t + shift.
  @inline(__always)
  static func forEachTap(_ g: ConvolutionGeometry, _ body: (Int, Range<Int>, Int) -> Void) {
    for j in 0..<g.kernelWidth {
      let range = validColumns(g, tap: j)
      if !range.isEmpty { body(j, range, j * g.window.dilationWidth - g.window.paddingWidth) }
    }
  }
}
