#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The structural similarity index of two single-channel images, as scikit-image's
/// `structural_similarity(data_range=R, gaussian_weights=True, sigma=1.5,
/// use_sample_covariance=False)` computes it.
///
/// ```
/// μx = G∗x,  μy = G∗y,  σx² = G∗x² − μx²,  σy² = G∗y² − μy²,  σxy = G∗xy − μx·μy
/// S  = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),  C1 = (0.01R)², C2 = (0.03R)²
/// SSIM = mean of S over the pixels at least 5 from every border
/// ```
/// G is the separable Gaussian of σ = 1.5 truncated at 3.5σ (11 taps, normalized to sum 1),
/// applied with reflect padding (… c b a | a b c …); the statistics are population moments
/// (Wang et al.'s). Pixels within the filter's radius of a border are left out of the mean,
/// as scikit-image does, so images need at least 11 pixels on each side.
///
/// Reference: Wang, Bovik, Sheikh & Simoncelli 2004, "Image quality assessment: from error
/// visibility to structural similarity"; scikit-image `skimage.metrics.structural_similarity`.
public enum SSIM {
  public static let sigma = 1.5
  /// ⌊3.5σ + ½⌋: the window is 2·radius + 1 = 11 pixels wide.
  public static let radius = 5
  public static let k1 = 0.01, k2 = 0.03

  /// SSIM of `x` and `y`, each [height, width], with `dataRange` the span of their values
  /// (255 for 8-bit images and their luma).
  public static func index(_ x: [Double], _ y: [Double], height: Int, width: Int,
                           dataRange: Double = 255) throws(MetricError) -> Double {
    precondition(x.count == height * width && y.count == height * width,
                 "SSIM of \(height)×\(width) images needs \(height * width) values each, got \(x.count) and \(y.count)")
    let window = 2 * radius + 1
    guard height >= window && width >= window else {
      throw MetricError("SSIM needs images of at least \(window)×\(window) pixels (its Gaussian window), "
        + "got \(width)×\(height); evaluate on larger images or crops")
    }
    let blur = { (plane: [Double]) in gaussianFiltered(plane, height: height, width: width) }
    let (mx, my) = (blur(x), blur(y))
    let (mxx, myy, mxy) = (blur(zip(x, x).map(*)), blur(zip(y, y).map(*)), blur(zip(x, y).map(*)))
    let c1 = (k1 * dataRange) * (k1 * dataRange), c2 = (k2 * dataRange) * (k2 * dataRange)
    var total = 0.0
    for row in radius..<(height - radius) {
      for column in radius..<(width - radius) {
        let p = row * width + column
        let (ux, uy) = (mx[p], my[p])
        let vx = mxx[p] - ux * ux, vy = myy[p] - uy * uy, vxy = mxy[p] - ux * uy
        total += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
      }
    }
    return total / Double((height - 2 * radius) * (width - 2 * radius))
  }

  /// The mean SSIM over the channels of two [height, width, channels] interleaved images.
  public static func meanOverChannels(_ x: [Double], _ y: [Double], height: Int, width: Int, channels: Int,
                                      dataRange: Double = 255) throws(MetricError) -> Double {
    precondition(channels >= 1 && x.count == height * width * channels && y.count == x.count,
                 "\(height)×\(width)×\(channels) images need \(height * width * channels) values each")
    var total = 0.0
    for c in 0..<channels {
      let plane = { (values: [Double]) in stride(from: c, to: values.count, by: channels).map { values[$0] } }
      total += try index(plane(x), plane(y), height: height, width: width, dataRange: dataRange)
    }
    return total / Double(channels)
  }

  /// The normalized Gaussian taps exp(−t²/2σ²), t = −radius … radius.
  static let taps: [Double] = {
    let raw = (-radius...radius).map { t in exp(-0.5 / (sigma * sigma) * Double(t * t)) }
    let total = raw.reduce(0, +)
    return raw.map { $0 / total }
  }()

  /// `plane` [height, width] filtered by the Gaussian along columns, then along rows, with
  /// reflect padding.
  static func gaussianFiltered(_ plane: [Double], height: Int, width: Int) -> [Double] {
    var down = [Double](repeating: 0, count: plane.count)
    for row in 0..<height {
      for column in 0..<width {
        var sum = 0.0
        for (k, w) in taps.enumerated() { sum += w * plane[reflect(row + k - radius, height) * width + column] }
        down[row * width + column] = sum
      }
    }
    var result = [Double](repeating: 0, count: plane.count)
    for row in 0..<height {
      for column in 0..<width {
        var sum = 0.0
        for (k, w) in taps.enumerated() { sum += w * down[row * width + reflect(column + k - radius, width)] }
        result[row * width + column] = sum
      }
    }
    return result
  }

  /// Index `i` folded into 0..<n by mirroring about the edges, the edge sample repeated
  /// (… 1 0 | 0 1 … n−1 | n−1 n−2 …); periodic with period 2n for windows wider than the image.
  static func reflect(_ i: Int, _ n: Int) -> Int {
    let m = ((i % (2 * n)) + 2 * n) % (2 * n)
    return m < n ? m : 2 * n - 1 - m
  }
}
