import Graphics

/// The luma Y of an image as MATLAB's `rgb2ycbcr` computes it (BT.601, studio swing), the
/// channel super-resolution papers report PSNR-Y and SSIM-Y on.
///
/// ```
/// Y = 16 + (65.481·R + 128.553·G + 24.966·B) / 255        R, G, B ∈ 0…255
/// ```
/// kept in Float64 and not rounded. A grayscale image is its own luma (Y = the gray level), as
/// the shared patches' gray baselines take it.
///
/// Reference: ITU-R BT.601; MATLAB `rgb2ycbcr`.
public enum Luma {
  /// [height, width] the luma of each pixel of a gray or RGB `image`.
  public static func plane(of image: Image) -> [Double] {
    precondition(image.channels == 1 || image.channels == 3,
                 "luma needs a gray or RGB image, got \(image.channels) channels")
    if image.channels == 1 { return image.pixels.map(Double.init) }
    return (0..<(image.width * image.height)).map { p in
      let r = Double(image.pixels[3 * p]), g = Double(image.pixels[3 * p + 1]), b = Double(image.pixels[3 * p + 2])
      return 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
    }
  }
}
