import Datasets
import Foundation
import Graphics

/// Interpolations as a picture: one row per pair of end points, `steps` images from one end to
/// the other, each shown as the discrete image it falls in.
public enum InterpolationStrip {
  /// - Parameters:
  ///   - decoded: [rows · steps, C, H, W] model-space images, row by row (e.g. f⁻¹ of latents
  ///     interpolated between two encoded images), mapped to intensities by `dequantization`.
  ///   - scale: pixels per image pixel; nil enlarges small images to about 64 pixels.
  public static func image(
    decoded: [Float], steps: Int, channels: Int, height: Int, width: Int,
    dequantization: Dequantization, scale: Int? = nil
  ) -> Image {
    let size = channels * height * width
    precondition(steps > 0 && size > 0 && !decoded.isEmpty && decoded.count % (steps * size) == 0,
                 "\(decoded.count) values are not whole rows of \(steps) images of \(channels)×\(height)×\(width)")
    let values = dequantization.intensities(fromModel: decoded)
    let images = Image.batch(planar: values, count: decoded.count / size, channels: channels, height: height,
                             width: width)
    return Image.grid(images, columns: steps, scale: scale ?? SampleGrid.defaultScale(height, width),
                      background: SampleGrid.separator)
  }

  /// Writes `image(…)` to `path` as a PNG.
  public static func write(
    decoded: [Float], steps: Int, channels: Int, height: Int, width: Int,
    dequantization: Dequantization, to path: String
  ) throws {
    try PNG.write(image(decoded: decoded, steps: steps, channels: channels, height: height, width: width,
                        dequantization: dequantization), to: URL(fileURLWithPath: path))
  }
}
