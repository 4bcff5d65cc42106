/// How a convolution is turned into GEMMs; both compute the same result.
public enum ConvolutionMethod: Hashable, Sendable {
  /// im2col: unfold the input into [inChannels · taps, pixels] columns, multiply by the weight
  /// [outChannels, inChannels · taps]; backward folds the columns of weightᵀ · dOutput back.
  case unfoldInput
  /// Multiply first, shift after: Z = weight regrouped as [outChannels · taps, inChannels] times
  /// the input [inChannels, pixels], then each output plane is the sum over taps of its shifted Z
  /// planes. Only the outChannels · taps rows of Z are moved, so a convolution to few channels
  /// (Glow's last conditioner layer: 64 → 4) skips unfolding its wide input. Needs
  /// `ConvolutionGeometry.tapsAreShifts`.
  case shiftOutput
  /// One GEMM per image and kernel tap on shifted views of the input and output planes, for a
  /// 1-D convolution with stride 1 (see `TapViewConvolution`): nothing is unfolded or regrouped
  /// but the weight. Needs `ConvolutionGeometry.tapsAreViews`.
  case tapViews
  /// im2col into the transposed column matrix [outputPixels, patchSize], one image at a time, for
  /// a strided 1-D convolution without dilation (see `TransposedUnfoldConvolution`): its rows are
  /// runs of adjacent input samples. Needs `ConvolutionGeometry.unfoldsTransposed`.
  case unfoldTransposed
}

/// Sizes in scalars of the parts of a convolution's scratch, in order; parts a geometry does not
/// use have size 0.
struct ScratchPlan {
  /// unfoldInput, shiftOutput with "same" taps: [outputPixels], the 0/1 mask of one `PlaneShift`.
  var mask = 0
  /// unfoldInput: none. shiftOutput, tapViews: the regrouped weight and its gradient, 2 × [outChannels · taps, inChannels].
  var weights = 0
  /// unfoldInput: the column matrix [patchSize, block columns]. unfoldTransposed: [outputPixels, patchSize].
  /// shiftOutput: Z [outChannels · taps, block columns].
  var columns = 0
  /// unfoldInput: the output block [outChannels, block columns] when NCHW output must be regrouped.
  /// shiftOutput: the input block [inChannels, block columns] when NCHW input must be regrouped.
  var block = 0

  init(_ g: ConvolutionGeometry) {
    let width = g.imagesPerBlock * g.outputPixels, taps = g.kernelHeight * g.kernelWidth
    let regroups = g.imagesPerBlock > 1
    // The 1-D methods index their views directly and shift no planes.
    let shiftMask = g.tapsAreShifts ? g.outputPixels : 0
    switch g.method {
    case .unfoldInput:
      mask = shiftMask
      let inPlace = g.isPointwise && (g.inputLayout == .cnhw || !regroups)
      columns = inPlace ? 0 : g.patchSize * width
      block = g.outputLayout == .nchw && regroups ? g.outChannels * width : 0
    case .shiftOutput:
      mask = shiftMask
      weights = 2 * g.outChannels * taps * g.inChannels
      columns = g.outChannels * taps * width
      block = g.inputLayout == .nchw && regroups ? g.inChannels * width : 0
    case .tapViews:
      weights = 2 * g.outChannels * taps * g.inChannels
    case .unfoldTransposed:
      columns = g.outputPixels * g.patchSize
    }
  }

  var total: Int { mask + weights + columns + block }
}

/// A convolution's scratch split by its `ScratchPlan`.
struct ConvolutionScratch<S: TensorScalar> {
  let mask: UnsafeMutablePointer<S>
  let weights: UnsafeMutablePointer<S>
  let columns: UnsafeMutablePointer<S>
  let block: UnsafeMutablePointer<S>

  init(_ g: ConvolutionGeometry, _ scratch: UnsafeMutablePointer<S>) {
    let plan = ScratchPlan(g)
    mask = scratch
    weights = mask + plan.mask
    columns = weights + plan.weights
    block = columns + plan.columns
  }
}
