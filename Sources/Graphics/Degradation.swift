/// How a high-resolution image becomes its low-resolution counterpart in super-resolution data:
/// the config's `degradation: bicubic | box`.
public enum Degradation: String, Sendable, CaseIterable, Codable {
  /// Pillow's antialiased `Image.resize(…, BICUBIC)` (`Image.resizedBicubic`).
  case bicubic
  /// The mean of each factor×factor block, rounded half up (`Image.blockMeanDownscaled`).
  case box

  /// `image` shrunk `factor` times; its sides must be multiples of `factor`.
  public func downscale(_ image: Image, by factor: Int) -> Image {
    precondition(factor >= 1 && image.width % factor == 0 && image.height % factor == 0,
                 "downscaling \(image.width)×\(image.height) by \(factor) needs sides divisible by \(factor)")
    switch self {
    case .bicubic: return image.resizedBicubic(width: image.width / factor, height: image.height / factor)
    case .box: return image.blockMeanDownscaled(by: factor)
    }
  }

  /// A [channels, height, width] Float image shrunk `factor` times, plane by plane, without
  /// rounding (bicubic in Float32 as Pillow's mode "F"; box as the exact block mean).
  public func downscale(planar values: [Float], channels: Int, height: Int, width: Int, by factor: Int) -> [Float] {
    precondition(factor >= 1 && width % factor == 0 && height % factor == 0,
                 "downscaling \(width)×\(height) by \(factor) needs sides divisible by \(factor)")
    switch self {
    case .bicubic:
      return Resampling.bicubic(planar: values, channels: channels, height: height, width: width,
                                toHeight: height / factor, width: width / factor)
    case .box:
      return Resampling.blockMean(values, height: channels * height, width: width, channels: 1, factor: factor)
    }
  }

  /// Why `factor` cannot degrade images of `height`×`width`, for error messages; nil when it can.
  public static func problem(factor: Int, height: Int, width: Int) -> String? {
    guard factor >= 1 else { return "the scale factor must be ≥ 1, got \(factor)" }
    guard height % factor == 0 && width % factor == 0 else {
      return "\(width)×\(height) is not divisible by the scale factor \(factor); use a crop size that is a multiple of \(factor)"
    }
    return nil
  }
}
