import Graphics

/// How close one super-resolved image is to its high-resolution ground truth: the errors behind
/// PSNR-Y, PSNR-RGB, SSIM-Y and SSIM-RGB, with no border crop.
///
/// Y is MATLAB's luma (`Luma`); the RGB figures take every channel (for a gray image they equal
/// the Y figures). SSIM-RGB is the mean of the per-channel SSIMs, as scikit-image's
/// `structural_similarity(…, channel_axis=-1)`.
public struct SuperResolutionFidelity: Sendable, Equatable {
  /// Mean squared error of the luma, in squared levels.
  public var lumaError: Double
  /// Mean squared error over all pixels and channels.
  public var channelError: Double
  public var lumaSSIM: Double
  public var channelSSIM: Double

  /// The figures of an image scored elsewhere (e.g. on another rank, gathered).
  public init(lumaError: Double, channelError: Double, lumaSSIM: Double, channelSSIM: Double) {
    (self.lumaError, self.channelError, self.lumaSSIM, self.channelSSIM) = (lumaError, channelError, lumaSSIM, channelSSIM)
  }

  /// Throws when the images differ in size or channels, or are too small for SSIM's window.
  public init(prediction: Image, reference: Image) throws(MetricError) {
    guard prediction.width == reference.width, prediction.height == reference.height,
          prediction.channels == reference.channels else {
      throw MetricError("the prediction is \(Self.describe(prediction)) but its reference is \(Self.describe(reference)); "
        + "compare images of one size and color type")
    }
    guard prediction.channels == 1 || prediction.channels == 3 else {
      throw MetricError("SR metrics take gray or RGB images, got \(prediction.channels) channels; drop the alpha channel")
    }
    let (h, w) = (reference.height, reference.width)
    let (yp, yr) = (Luma.plane(of: prediction), Luma.plane(of: reference))
    lumaError = PSNR.meanSquaredError(yp, yr)
    channelError = PSNR.meanSquaredError(prediction.pixels.map(Double.init), reference.pixels.map(Double.init))
    lumaSSIM = try SSIM.index(yp, yr, height: h, width: w)
    channelSSIM = try SSIM.meanOverChannels(prediction.pixels.map(Double.init), reference.pixels.map(Double.init),
                                            height: h, width: w, channels: reference.channels)
  }

  static func describe(_ image: Image) -> String { "\(image.width)×\(image.height)×\(image.channels)" }
}

/// PSNR-Y, SSIM-Y, PSNR-RGB and SSIM-RGB over a set of images: PSNR as the mean over images and
/// pooled, SSIM as the mean over images.
public struct SuperResolutionScores: Sendable, Equatable {
  public private(set) var psnrY = PSNR.Summary()
  public private(set) var psnrRGB = PSNR.Summary()
  private var lumaSSIMSum = 0.0
  private var channelSSIMSum = 0.0

  public init() {}

  public var count: Int { psnrY.count }

  public mutating func add(_ fidelity: SuperResolutionFidelity) {
    psnrY.add(meanSquaredError: fidelity.lumaError)
    psnrRGB.add(meanSquaredError: fidelity.channelError)
    lumaSSIMSum += fidelity.lumaSSIM
    channelSSIMSum += fidelity.channelSSIM
  }

  /// The mean SSIM-Y over the images added.
  public var ssimY: Double {
    precondition(count > 0, "SR scores of no images")
    return lumaSSIMSum / Double(count)
  }

  /// The mean SSIM-RGB over the images added.
  public var ssimRGB: Double {
    precondition(count > 0, "SR scores of no images")
    return channelSSIMSum / Double(count)
  }
}
