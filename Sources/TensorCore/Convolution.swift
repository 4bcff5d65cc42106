/// 2-D convolution (cross-correlation, as in PyTorch) on NCHW by im2col + GEMM, forward and backward.
///
/// ```
/// output[n, o, y, x] = bias[o] + Σ_{c,i,j} weight[o, c, i, j] · input[n, c, y·sH − pH + i·dH, x·sW − pW + j·dW]
/// ```
/// Images are processed in blocks of `g.imagesPerBlock`: the block's column matrix
/// [patchSize, nb · outputPixels] is built once and multiplied by the weight in one GEMM, so small
/// images still give BLAS wide matrices, and the columns stay in cache instead of being kept for the
/// whole batch. A block of one image writes its GEMM straight into the output; a pointwise (1×1,
/// stride 1, unpadded) convolution of one image uses the input itself as its column matrix.
///
/// `scratch` holds `g.scratchCount` scalars; its contents on entry do not matter.
public enum Convolution {
  /// output [batch, outChannels, outHeight, outWidth] = conv(input [batch, inChannels, height, width],
  /// weight [outChannels, inChannels, kernelHeight, kernelWidth]) + bias [outChannels].
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func forward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    bias: UnsafePointer<S>?, output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
  ) {
    let layout = BlockLayout(g, scratch: scratch)
    var first = 0
    while first < g.batch {
      let count = min(g.imagesPerBlock, g.batch - first)
      let columns = layout.columns(of: input + first * g.inputImageCount, count: count)
      let width = count * g.outputPixels
      let image = output + first * g.outChannels * g.outputPixels
      let product = count == 1 ? image : layout.block
      S.gemm(transposeA: false, transposeB: false, m: g.outChannels, n: width, k: g.patchSize,
             alpha: 1, a: weight, lda: g.patchSize, b: columns, ldb: width,
             beta: 0, c: product, ldc: width)
      if count > 1 {
        ConvolutionBlocks.scatter(layout.block, channels: g.outChannels,
                                  pixels: g.outputPixels, count: count, into: image)
      }
      if let bias {
        ConvolutionBlocks.addBias(bias, channels: g.outChannels, pixels: g.outputPixels,
                                  count: count, into: image)
      }
      first += count
    }
  }

  /// Accumulates (+=) the gradients of `<dOutput, forward(...)>` into `dInput` [batch, inChannels,
  /// height, width], `dWeight` [outChannels, inChannels, kernelHeight, kernelWidth] and `dBias`
  /// [outChannels]; pass nil for any that is not needed, and its work is skipped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func backward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    dOutput: UnsafePointer<S>, dInput: UnsafeMutablePointer<S>?,
    dWeight: UnsafeMutablePointer<S>?, dBias: UnsafeMutablePointer<S>?,
    scratch: UnsafeMutablePointer<S>
  ) {
    let layout = BlockLayout(g, scratch: scratch)
    var first = 0
    while first < g.batch {
      let count = min(g.imagesPerBlock, g.batch - first)
      let width = count * g.outputPixels
      var dProduct = dOutput + first * g.outChannels * g.outputPixels
      if count > 1 {
        ConvolutionBlocks.gather(dProduct, channels: g.outChannels, pixels: g.outputPixels,
                                 count: count, into: layout.block)
        dProduct = UnsafePointer(layout.block)
      }
      if let dBias {
        ConvolutionBlocks.addRowSums(dProduct, rows: g.outChannels, columns: width, into: dBias)
      }
      if let dWeight {
        let columns = layout.columns(of: input + first * g.inputImageCount, count: count)
        S.gemm(transposeA: false, transposeB: true, m: g.outChannels, n: g.patchSize, k: width,
               alpha: 1, a: dProduct, lda: width, b: columns, ldb: width,
               beta: 1, c: dWeight, ldc: g.patchSize)
      }
      if let dInput {
        backwardInput(g, layout: layout, weight: weight, dProduct: dProduct, count: count,
                      into: dInput + first * g.inputImageCount)
      }
      first += count
    }
  }

  /// dInput of one block += fold(weightᵀ · dProduct), where dProduct is [outChannels, count · outputPixels].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backwardInput<S: TensorScalar>(
    _ g: ConvolutionGeometry, layout: BlockLayout<S>, weight: UnsafePointer<S>,
    dProduct: UnsafePointer<S>, count: Int, into dInput: UnsafeMutablePointer<S>
  ) {
    let width = count * g.outputPixels
    if g.isPointwise && count == 1 {
      // The column matrix is the image itself, so the GEMM accumulates into dInput directly.
      S.gemm(transposeA: true, transposeB: false, m: g.patchSize, n: width, k: g.outChannels,
             alpha: 1, a: weight, lda: g.patchSize, b: dProduct, ldb: width,
             beta: 1, c: dInput, ldc: width)
      return
    }
    S.gemm(transposeA: true, transposeB: false, m: g.patchSize, n: width, k: g.outChannels,
           alpha: 1, a: weight, lda: g.patchSize, b: dProduct, ldb: width,
           beta: 0, c: layout.columnBuffer, ldc: width)
    Im2Col.foldAdding(g, columns: layout.columnBuffer, count: count, into: dInput)
  }
}

/// How a convolution's scratch is split: the column matrix [patchSize, imagesPerBlock · outputPixels]
/// first, then the output block [outChannels, imagesPerBlock · outputPixels].
struct BlockLayout<S: TensorScalar> {
  let geometry: ConvolutionGeometry
  let columnBuffer: UnsafeMutablePointer<S>
  let block: UnsafeMutablePointer<S>

  init(_ g: ConvolutionGeometry, scratch: UnsafeMutablePointer<S>) {
    geometry = g
    columnBuffer = scratch
    let columnCount = g.isPointwise && g.imagesPerBlock == 1 ? 0 : g.patchSize
    block = scratch + columnCount * g.imagesPerBlock * g.outputPixels
  }

  /// The column matrix of `count` images starting at `images`: the images themselves for a
  /// pointwise convolution of one image, otherwise unfolded into the scratch.
  func columns(of images: UnsafePointer<S>, count: Int) -> UnsafePointer<S> {
    if geometry.isPointwise && count == 1 { return images }
    Im2Col.unfold(geometry, images: images, count: count, into: columnBuffer)
    return UnsafePointer(columnBuffer)
  }
}
