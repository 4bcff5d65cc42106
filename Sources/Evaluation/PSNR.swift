#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Peak signal-to-noise ratio of 8-bit images, without border crop:
///
/// ```
/// PSNR = 10·log10(255² / MSE)       capped at 100 dB (MSE = 0: identical images)
/// ```
/// Over a set of images `PSNR.Summary` gives both conventions papers use: the mean of the
/// per-image PSNRs, and the pooled PSNR of the mean MSE, `10·log10(255² / mean MSE)`, which
/// weights every pixel alike and is not dominated by a few nearly flat, easy images.
public enum PSNR {
  /// The value of identical images, and the most any image scores.
  public static let cap = 100.0
  /// The largest value of an 8-bit sample.
  public static let peak = 255.0

  /// 10·log10(255² / mse), at most `cap`.
  public static func decibels(meanSquaredError mse: Double) -> Double {
    precondition(mse >= 0, "a mean squared error is ≥ 0, got \(mse)")
    return mse == 0 ? cap : min(cap, 10 * log10(peak * peak / mse))
  }

  /// The mean of (a − b)² over two equally long sample arrays.
  public static func meanSquaredError<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
  where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    precondition(a.count == b.count && !a.isEmpty, "MSE needs two non-empty arrays of one length, got \(a.count) and \(b.count)")
    var total = 0.0
    for (x, y) in zip(a, b) {
      let d = Double(x) - Double(y)
      total += d * d
    }
    return total / Double(a.count)
  }

  /// The PSNR of a set of images, from each image's MSE.
  public struct Summary: Sendable, Equatable {
    public private(set) var count = 0
    private var decibelSum = 0.0
    private var errorSum = 0.0

    public init() {}

    public mutating func add(meanSquaredError mse: Double) {
      count += 1
      decibelSum += PSNR.decibels(meanSquaredError: mse)
      errorSum += mse
    }

    /// The mean over images of each image's PSNR.
    public var mean: Double {
      precondition(count > 0, "a PSNR summary of no images")
      return decibelSum / Double(count)
    }

    /// 10·log10(255² / mean MSE): the PSNR of all images taken as one.
    public var pooled: Double {
      precondition(count > 0, "a PSNR summary of no images")
      return PSNR.decibels(meanSquaredError: errorSum / Double(count))
    }
  }
}
