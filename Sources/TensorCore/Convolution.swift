/// 2-D convolution (cross-correlation, as in PyTorch) on image batches, forward and backward.
///
/// ```
/// output[n, o, y, x] = bias[o] + Σ_{c,i,j} weight[o, c, i, j] · input[n, c, y·sH − pH + i·dH, x·sW − pW + j·dW]
/// ```
/// Input and output may each be NCHW or CNHW (`g.inputLayout`, `g.outputLayout`); weight is
/// [outChannels, inChannels, kernelHeight, kernelWidth] and bias [outChannels]. The GEMMs are formed
/// by `g.method` (see `ConvolutionMethod`). The 2-D methods process images in blocks of
/// `g.imagesPerBlock`, so small images still give BLAS wide matrices and the scratch stays in
/// cache; the 1-D ones (`tapViews`, `unfoldTransposed`) one image at a time, as long audio is wide.
///
/// `scratch` holds `g.scratchCount` scalars; its contents on entry do not matter.
public enum Convolution {
  /// output = conv(input, weight) + bias, all in the layouts of `g`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func forward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    bias: UnsafePointer<S>?, output: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>
  ) {
    switch g.method {
    case .unfoldInput:
      UnfoldConvolution.forward(g, input: input, weight: weight, bias: bias, output: output, scratch: scratch)
    case .shiftOutput:
      ShiftConvolution.forward(g, input: input, weight: weight, bias: bias, output: output, scratch: scratch)
    case .tapViews:
      TapViewConvolution.forward(g, input: input, weight: weight, bias: bias, output: output, scratch: scratch)
    case .unfoldTransposed:
      TransposedUnfoldConvolution.forward(g, input: input, weight: weight, bias: bias, output: output,
                                          scratch: scratch)
    }
  }

  /// Accumulates (+=) the gradients of `<dOutput, forward(...)>` into `dInput` (the input's shape
  /// and layout), `dWeight` [outChannels, inChannels, kernelHeight, kernelWidth] and `dBias`
  /// [outChannels]; pass nil for any that is not needed, and its work is skipped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func backward<S: TensorScalar>(
    _ g: ConvolutionGeometry, input: UnsafePointer<S>, weight: UnsafePointer<S>,
    dOutput: UnsafePointer<S>, dInput: UnsafeMutablePointer<S>?,
    dWeight: UnsafeMutablePointer<S>?, dBias: UnsafeMutablePointer<S>?,
    scratch: UnsafeMutablePointer<S>
  ) {
    switch g.method {
    case .unfoldInput:
      UnfoldConvolution.backward(g, input: input, weight: weight, dOutput: dOutput, dInput: dInput,
                                 dWeight: dWeight, dBias: dBias, scratch: scratch)
    case .shiftOutput:
      ShiftConvolution.backward(g, input: input, weight: weight, dOutput: dOutput, dInput: dInput,
                                dWeight: dWeight, dBias: dBias, scratch: scratch)
    case .tapViews:
      TapViewConvolution.backward(g, input: input, weight: weight, dOutput: dOutput, dInput: dInput,
                                  dWeight: dWeight, dBias: dBias, scratch: scratch)
    case .unfoldTransposed:
      TransposedUnfoldConvolution.backward(g, input: input, weight: weight, dOutput: dOutput, dInput: dInput,
                                           dWeight: dWeight, dBias: dBias, scratch: scratch)
    }
  }
}

extension ConvolutionGeometry {
  /// Calls `body(first, count)` for each block of images, in order. A pointwise convolution from
  /// CNHW to CNHW uses no scratch, so its blocks would only split GEMMs: it runs as one block.
  @inline(__always)
  func forEachBlock(_ body: (_ first: Int, _ count: Int) -> Void) {
    let inPlace = method == .unfoldInput && isPointwise && inputLayout == .cnhw && outputLayout == .cnhw
    let images = inPlace ? batch : imagesPerBlock
    var first = 0
    while first < batch {
      let count = min(images, batch - first)
      body(first, count)
      first += count
    }
  }

  /// Images first..<first + count of an input-shaped tensor.
  func inputBlock<S: TensorScalar>(_ tensor: UnsafeMutablePointer<S>, first: Int, count: Int) -> ImageBlock<S> {
    ImageBlock(tensor, layout: inputLayout, batch: batch, channels: inChannels, pixels: height * width,
               first: first, count: count)
  }

  /// Images first..<first + count of an output-shaped tensor.
  func outputBlock<S: TensorScalar>(_ tensor: UnsafeMutablePointer<S>, first: Int, count: Int) -> ImageBlock<S> {
    ImageBlock(tensor, layout: outputLayout, batch: batch, channels: outChannels, pixels: outputPixels,
               first: first, count: count)
  }
}
