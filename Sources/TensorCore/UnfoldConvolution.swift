/// `ConvolutionMethod.unfoldInput`: im2col + GEMM.
///
/// Each block's column matrix [patchSize, count · outputPixels] is built once and multiplied by the
/// weight in one GEMM. A pointwise (1×1, stride 1, unpadded) convolution uses the input block
/// itself as its column matrix when it is one in place (CNHW, or one image); the GEMM writes
/// straight into an output block that is a matrix in place, and through a regrouping block otherwise.
enum UnfoldConvolution {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func forward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    bias: UnsafePointer<S>?, output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
  ) {
    let s = ConvolutionScratch(g, scratch)
    g.forEachBlock { first, count in
      let width = count * g.outputPixels
      let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: first, count: count)
      let y = g.outputBlock(output, first: first, count: count)
      let columns = self.columns(g, of: x, scratch: s)
      let product = y.matrix ?? (s.block, width)
      // Starting from the bias saves a pass: BLAS clears C for beta = 0 anyway.
      if let bias {
        for o in 0..<g.outChannels {
          (product.pointer + o * product.ld).update(repeating: bias[o], count: width)
        }
      }
      S.gemm(transposeA: false, transposeB: false, m: g.outChannels, n: width, k: g.patchSize,
             alpha: 1, a: weight, lda: g.patchSize, b: columns.pointer, ldb: columns.ld,
             beta: bias == nil ? 0 : 1, c: product.pointer, ldc: product.ld)
      if y.matrix == nil { ConvolutionBlocks.scatter(s.block, into: y) }
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
    g.forEachBlock { first, count in
      let width = count * g.outputPixels
      let dy = g.outputBlock(UnsafeMutablePointer(mutating: dOutput), first: first, count: count)
      if let dBias { ConvolutionBlocks.addChannelSums(dy, into: dBias) }
      guard dWeight != nil || dInput != nil else { return }
      let dProduct: (pointer: UnsafeMutablePointer<S>, ld: Int)
      if let inPlace = dy.matrix {
        dProduct = inPlace
      } else {
        ConvolutionBlocks.gather(dy, into: s.block)
        dProduct = (s.block, width)
      }
      if let dWeight {
        let x = g.inputBlock(UnsafeMutablePointer(mutating: input), first: first, count: count)
        let columns = self.columns(g, of: x, scratch: s)
        S.gemm(transposeA: false, transposeB: true, m: g.outChannels, n: g.patchSize, k: width,
               alpha: 1, a: dProduct.pointer, lda: dProduct.ld, b: columns.pointer, ldb: columns.ld,
               beta: 1, c: dWeight, ldc: g.patchSize)
      }
      if let dInput {
        backwardInput(g, weight: weight, dProduct: UnsafePointer(dProduct.pointer), ld: dProduct.ld,
                      into: g.inputBlock(dInput, first: first, count: count), scratch: s)
      }
    }
  }

  /// dInput block += fold(weightᵀ · dProduct), where dProduct is [outChannels, count · outputPixels].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backwardInput<S: TensorScalar>(
    _ g: ConvolutionGeometry, weight: UnsafePointer<S>, dProduct: UnsafePointer<S>, ld: Int,
    into dx: ImageBlock<S>, scratch s: ConvolutionScratch<S>
  ) {
    let width = dx.count * g.outputPixels
    if g.isPointwise, let inPlace = dx.matrix {
      // The column matrix is the block itself, so the GEMM accumulates into dInput directly.
      S.gemm(transposeA: true, transposeB: false, m: g.patchSize, n: width, k: g.outChannels,
             alpha: 1, a: weight, lda: g.patchSize, b: dProduct, ldb: ld,
             beta: 1, c: inPlace.pointer, ldc: inPlace.ld)
      return
    }
    S.gemm(transposeA: true, transposeB: false, m: g.patchSize, n: width, k: g.outChannels,
           alpha: 1, a: weight, lda: g.patchSize, b: dProduct, ldb: ld,
           beta: 0, c: s.columns, ldc: width)
    Im2Col.foldAdding(g, columns: s.columns, count: dx.count, into: dx.base, mask: s.mask)
  }

  /// The column matrix of a block of input images with its leading dimension: the block itself
  /// for a pointwise convolution when it is a matrix in place, otherwise unfolded into the scratch.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func columns<S: TensorScalar>(
    _ g: ConvolutionGeometry, of x: ImageBlock<S>, scratch s: ConvolutionScratch<S>
  ) -> (pointer: UnsafePointer<S>, ld: Int) {
    if g.isPointwise, let inPlace = x.matrix { return (UnsafePointer(inPlace.pointer), inPlace.ld) }
    Im2Col.unfold(g, images: UnsafePointer(x.base), count: x.count, into: s.columns, mask: s.mask)
    return (UnsafePointer(s.columns), x.count * g.outputPixels)
  }
}
