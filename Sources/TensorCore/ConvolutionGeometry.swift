/// Stride, zero padding and dilation of a convolution, per spatial axis (height, width).
public struct ConvolutionWindow: Hashable, Sendable {
  public var strideHeight: Int
  public var strideWidth: Int
  public var paddingHeight: Int
  public var paddingWidth: Int
  public var dilationHeight: Int
  public var dilationWidth: Int

  public init(strideHeight: Int, strideWidth: Int, paddingHeight: Int, paddingWidth: Int,
              dilationHeight: Int, dilationWidth: Int) {
    precondition(strideHeight >= 1 && strideWidth >= 1,
                 "stride must be at least 1, got (\(strideHeight), \(strideWidth))")
    precondition(paddingHeight >= 0 && paddingWidth >= 0,
                 "padding must be non-negative, got (\(paddingHeight), \(paddingWidth))")
    precondition(dilationHeight >= 1 && dilationWidth >= 1,
                 "dilation must be at least 1, got (\(dilationHeight), \(dilationWidth))")
    self.strideHeight = strideHeight
    self.strideWidth = strideWidth
    self.paddingHeight = paddingHeight
    self.paddingWidth = paddingWidth
    self.dilationHeight = dilationHeight
    self.dilationWidth = dilationWidth
  }

  /// The same stride, padding and dilation on both axes.
  public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
    self.init(strideHeight: stride, strideWidth: stride, paddingHeight: padding,
              paddingWidth: padding, dilationHeight: dilation, dilationWidth: dilation)
  }

  /// A window along time only, for [batch, channels, time] seen as height 1.
  public static func temporal(stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Self {
    Self(strideHeight: 1, strideWidth: stride, paddingHeight: 0, paddingWidth: padding,
         dilationHeight: 1, dilationWidth: dilation)
  }
}

/// Every size of one convolution: input [batch, inChannels, height, width], weight
/// [outChannels, inChannels, kernelHeight, kernelWidth], output [batch, outChannels, outHeight, outWidth].
///
/// A 1-D convolution over [batch, channels, time] is the same computation with height 1.
public struct ConvolutionGeometry: Hashable, Sendable {
  public let batch: Int
  public let inChannels: Int
  public let height: Int
  public let width: Int
  public let outChannels: Int
  public let kernelHeight: Int
  public let kernelWidth: Int
  public let window: ConvolutionWindow
  public let outHeight: Int
  public let outWidth: Int
  /// Images unfolded together into one column matrix, so each GEMM has enough columns
  /// (at least `Self.targetColumns` where the batch allows). Settable to exercise partial blocks.
  public var imagesPerBlock: Int {
    didSet { precondition(imagesPerBlock >= 1, "imagesPerBlock must be at least 1") }
  }

  /// Memory order of the input and dInput; of the output and dOutput (see `ImageLayout`).
  public var inputLayout = ImageLayout.nchw
  public var outputLayout = ImageLayout.nchw
  /// How the GEMM is formed; the default is the cheaper one that applies (see `ConvolutionMethod`).
  /// Settable to exercise both on one geometry.
  public var method: ConvolutionMethod {
    didSet {
      precondition(method != .shiftOutput || tapsAreShifts,
                   "shiftOutput needs stride 1 and an output as large as the input, got \(window)")
      precondition(method != .unfoldTransposed || unfoldsTransposed,
                   "unfoldTransposed needs a 1-D convolution without dilation, got a \(kernelHeight)×\(kernelWidth) kernel with \(window)")
      precondition(method != .tapViews || tapsAreViews,
                   "tapViews needs a 1-D convolution with stride 1, got a \(kernelHeight)×\(kernelWidth) kernel with \(window)")
    }
  }

  /// GEMM widths from a few hundred columns up run near BLAS peak; wider blocks only cost cache.
  public static let targetColumns = 512

  /// Input [N, C, H, W] with weight [O, C, kH, kW], or input [N, C, T] with weight [O, C, k]
  /// (then `window` must be 1-D, see `ConvolutionWindow.temporal`).
  public init(input: Shape, weight: Shape, window: ConvolutionWindow) {
    precondition(input.rank == weight.rank && (input.rank == 3 || input.rank == 4),
                 "convolution needs input and weight both of rank 3 or 4, got \(input) and \(weight)")
    let flat = input.rank == 3
    precondition(!flat || (window.strideHeight == 1 && window.paddingHeight == 0),
                 "a 1-D convolution takes a window with height stride 1 and height padding 0")
    precondition(input[1] == weight[1],
                 "input \(input) has \(input[1]) channels but weight \(weight) expects \(weight[1])")
    batch = input[0]
    inChannels = input[1]
    height = flat ? 1 : input[2]
    width = input[input.rank - 1]
    outChannels = weight[0]
    kernelHeight = flat ? 1 : weight[2]
    kernelWidth = weight[weight.rank - 1]
    self.window = window
    // Positions where the dilated kernel fits inside the padded input, before striding.
    let fitsHeight = height + 2 * window.paddingHeight - window.dilationHeight * (kernelHeight - 1)
    let fitsWidth = width + 2 * window.paddingWidth - window.dilationWidth * (kernelWidth - 1)
    precondition(fitsHeight >= 1 && fitsWidth >= 1,
                 "kernel \(weight) with \(window) does not fit input \(input)")
    outHeight = (fitsHeight - 1) / window.strideHeight + 1
    outWidth = (fitsWidth - 1) / window.strideWidth + 1
    let pixels = outHeight * outWidth
    imagesPerBlock = max(1, min(batch, (Self.targetColumns + pixels - 1) / pixels))
    method = .unfoldInput
    if tapsAreViews {
      method = .tapViews
    } else if unfoldsTransposed {
      method = .unfoldTransposed
    } else if tapsAreShifts && outChannels < inChannels && kernelHeight * kernelWidth > 1 {
      // Shifting the outputs moves outChannels · taps rows instead of inChannels · taps.
      method = .shiftOutput
    }
  }

  /// [batch, outChannels, outHeight, outWidth], or [batch, outChannels, outWidth] for 1-D.
  public func outputShape(rank: Int) -> Shape {
    rank == 3 ? [batch, outChannels, outWidth] : [batch, outChannels, outHeight, outWidth]
  }

  /// Rows of the unfolded column matrix: inChannels · kernelHeight · kernelWidth.
  public var patchSize: Int { inChannels * kernelHeight * kernelWidth }
  public var inputImageCount: Int { inChannels * height * width }
  public var outputPixels: Int { outHeight * outWidth }

  /// A 1×1, stride-1, unpadded convolution: the input image already is its column matrix.
  public var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && window.strideHeight == 1 && window.strideWidth == 1
      && window.paddingHeight == 0 && window.paddingWidth == 0
  }

  /// Stride 1 and an output as large as the input ("same" padding): every kernel tap is a
  /// `PlaneShift` of whole planes.
  public var tapsAreShifts: Bool {
    window.strideHeight == 1 && window.strideWidth == 1 && outHeight == height && outWidth == width
  }

  /// Height 1 with a one-row kernel and stride 1 (a 1-D convolution over time, any padding and
  /// dilation): each tap reads the input plane at a fixed offset (`ConvolutionMethod.tapViews`).
  public var tapsAreViews: Bool {
    height == 1 && kernelHeight == 1 && window.paddingHeight == 0 && window.strideHeight == 1
      && window.strideWidth == 1
  }

  /// A 1-D convolution (height 1, one-row kernel) without dilation: the rows of its transposed
  /// column matrix are runs of adjacent input samples (`ConvolutionMethod.unfoldTransposed`).
  public var unfoldsTransposed: Bool {
    height == 1 && kernelHeight == 1 && window.paddingHeight == 0 && window.strideHeight == 1
      && window.dilationWidth == 1
  }

  /// Plane strides of the input (and dInput) in its layout.
  var inputStrides: (image: Int, channel: Int) {
    inputLayout.planeStrides(batch: batch, channels: inChannels, pixels: height * width)
  }

  /// The shift that brings input pixels under output pixels for kernel tap (i, j) when
  /// `tapsAreShifts`: output[y, x] reads input[y + dy, x + dx].
  func tapShift(kernelRow i: Int, kernelColumn j: Int) -> PlaneShift {
    PlaneShift(height: height, width: width, dy: i * window.dilationHeight - window.paddingHeight,
               dx: j * window.dilationWidth - window.paddingWidth)
  }

  /// Stride 1 on both axes and output rows as long as input rows (e.g. "same" padding): then the
  /// valid part of a column-matrix row is one contiguous run of the input plane.
  public var rowsAreContiguous: Bool {
    window.strideHeight == 1 && window.strideWidth == 1 && outWidth == width
  }

  /// Scalars of scratch that `Convolution.forward` and `backward` need (see `ConvolutionScratch`).
  public var scratchCount: Int { ScratchPlan(self).total }

  /// Multiply-adds of the forward pass counted as 2 FLOPs; backward costs twice this.
  public var forwardFLOPs: Double {
    2 * Double(batch) * Double(outChannels) * Double(outputPixels) * Double(patchSize)
  }
}
