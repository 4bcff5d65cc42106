/// `ConvolutionMethod.shiftOutput`: multiply first, then shift and add.
///
/// With the weight regrouped as W' [outChannels · taps, inChannels] (row (o, t) = weight[o, :, t])
/// and a block of input images as the matrix X [inChannels, count · pixels]:
/// ```
/// Z = W' · X                                     [outChannels · taps, count · pixels]
/// output[o] = bias[o] + Σ_t shift_t(Z[(o, t)])    shift_t: the tap's `PlaneShift`
/// dZ[(o, t)] = shift_t reversed (dOutput[o]),  dW' = dZ · Xᵀ,  dX = W'ᵀ · dZ
/// ```
/// Only the outChannels · taps rows of Z and dZ are shifted; nothing is unfolded.
enum ShiftConvolution {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func forward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    bias: UnsafePointer<S>?, output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
  ) {
    let s = ConvolutionScratch(g, scratch)
    let rows = g.outChannels * g.kernelHeight * g.kernelWidth
    regroup(g, weight: weight, into: s.weights)
    g.forEachBlock { first, count in
      let width = count * g.outputPixels
      let x = inputMatrix(g, input, first: first, count: count, scratch: s)
      S.gemm(transposeA: false, transposeB: false, m: rows, n: width, k: g.inChannels,
             alpha: 1, a: s.weights, lda: g.inChannels, b: x.pointer, ldb: x.ld,
             beta: 0, c: s.columns, ldc: width)
      let y = g.outputBlock(output, first: first, count: count)
      ConvolutionBlocks.fill(y, with: bias)
      forEachTap(g) { t, shift in
        shift.writeMask(into: s.mask)
        for o in 0..<g.outChannels {
          shift.add(s.columns + (o * g.kernelHeight * g.kernelWidth + t) * width,
                    srcStride: g.outputPixels, into: y.plane(0, o), dstStride: y.imageStride,
                    count: count, mask: s.mask)
        }
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
    let rows = g.outChannels * g.kernelHeight * g.kernelWidth
    let dRegrouped = s.weights + rows * g.inChannels
    regroup(g, weight: weight, into: s.weights)
    g.forEachBlock { first, count in
      let width = count * g.outputPixels
      let dy = g.outputBlock(UnsafeMutablePointer(mutating: dOutput), first: first, count: count)
      if let dBias { ConvolutionBlocks.addChannelSums(dy, into: dBias) }
      guard dWeight != nil || dInput != nil else { return }
      shiftBack(g, dy, into: s.columns, scratch: s)
      if dWeight != nil {
        let x = inputMatrix(g, input, first: first, count: count, scratch: s)
        S.gemm(transposeA: false, transposeB: true, m: rows, n: g.inChannels, k: width,
               alpha: 1, a: s.columns, lda: width, b: x.pointer, ldb: x.ld,
               beta: first == 0 ? 0 : 1, c: dRegrouped, ldc: g.inChannels)
      }
      if let dInput {
        let dx = g.inputBlock(dInput, first: first, count: count)
        let product = dx.matrix ?? (s.block, width)
        S.gemm(transposeA: true, transposeB: false, m: g.inChannels, n: width, k: rows,
               alpha: 1, a: s.weights, lda: g.inChannels, b: s.columns, ldb: width,
               beta: dx.matrix == nil ? 0 : 1, c: product.pointer, ldc: product.ld)
        if dx.matrix == nil { ConvolutionBlocks.scatterAdding(s.block, into: dx) }
      }
    }
    if let dWeight { addRegrouped(g, dRegrouped, into: dWeight) }
  }

  /// dZ [outChannels · taps, count · pixels]: row (o, t) is dOutput plane o of each image moved
  /// back by tap t's shift (the adjoint of the forward shift-and-add).
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func shiftBack<S: TensorScalar>(
    _ g: ConvolutionGeometry, _ dy: ImageBlock<S>, into dZ: UnsafeMutablePointer<S>,
    scratch s: ConvolutionScratch<S>
  ) {
    let width = dy.count * g.outputPixels
    forEachTap(g) { t, shift in
      let back = shift.reversed
      back.writeMask(into: s.mask)
      for o in 0..<g.outChannels {
        back.copy(dy.plane(0, o), srcStride: dy.imageStride,
                  into: dZ + (o * g.kernelHeight * g.kernelWidth + t) * width,
                  dstStride: g.outputPixels, count: dy.count, mask: s.mask)
      }
    }
  }

  /// The input block as a [inChannels, count · pixels] matrix: in place, or regrouped into the scratch.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func inputMatrix<S: TensorScalar>(
    _ g: ConvolutionGeometry, _ input: UnsafePointer<S>, first: Int, count: Int,
    scratch s: ConvolutionScratch<S>
  ) -> (pointer: UnsafePointer<S>, ld: Int) {
    let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: first, count: count)
    if let inPlace = x.matrix { return (UnsafePointer(inPlace.pointer), inPlace.ld) }
    ConvolutionBlocks.gather(x, into: s.block)
    return (UnsafePointer(s.block), count * g.outputPixels)
  }

  /// Calls `body(t, shift)` for each kernel tap t = i · kernelWidth + j.
  @inline(__always)
  static func forEachTap(_ g: ConvolutionGeometry, _ body: (Int, PlaneShift) -> Void) {
    for i in 0..<g.kernelHeight {
      for j in 0..<g.kernelWidth {
        body(i * g.kernelWidth + j, g.tapShift(kernelRow: i, kernelColumn: j))
      }
    }
  }

  /// regrouped [outChannels · taps, inChannels] from weight [outChannels, inChannels, taps].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func regroup<S: TensorScalar>(
    _ g: ConvolutionGeometry, weight: UnsafePointer<S>, into regrouped: UnsafeMutablePointer<S>
  ) {
    let taps = g.kernelHeight * g.kernelWidth, channels = g.inChannels
    for o in 0..<g.outChannels {
      for c in 0..<channels {
        for t in 0..<taps { regrouped[(o * taps + t) * channels + c] = weight[(o * channels + c) * taps + t] }
      }
    }
  }

  /// dWeight [outChannels, inChannels, taps] += dRegrouped [outChannels · taps, inChannels].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addRegrouped<S: TensorScalar>(
    _ g: ConvolutionGeometry, _ dRegrouped: UnsafePointer<S>, into dWeight: UnsafeMutablePointer<S>
  ) {
    let taps = g.kernelHeight * g.kernelWidth, channels = g.inChannels
    for o in 0..<g.outChannels {
      for c in 0..<channels {
        for t in 0..<taps { dWeight[(o * channels + c) * taps + t] += dRegrouped[(o * taps + t) * channels + c] }
      }
    }
  }
}
