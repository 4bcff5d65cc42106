import Autodiff
import Datasets
import Flows
import TensorCore
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

extension InterpolationStrip {
  /// Interpolates in latent space between consecutive pairs of the first `2·pairs` examples of
  /// `source` (dequantized with the fixed evaluation noise) and writes the strip to `path`.
  /// Returns how many frames held a NaN (drawn black), or nil when the data holds fewer than 2 examples.
  public static func write(
    _ trainable: TrainableFlow, source: any ExampleSource,
    dequantization: Dequantization, seed: UInt64, pairs: Int = 4, steps: Int = 8, to path: String
  ) throws -> Int? {
    let model = trainable.model
    let shape = model.eventShape, size = shape.count, n = min(2 * pairs, source.count & ~1)
    guard shape.rank == 3, n >= 2 else { return nil }
    var values = [Float](repeating: 0, count: n * size)
    var logDets = [Double](repeating: 0, count: n)
    let indices = Array(0..<n)
    try indices.withUnsafeBufferPointer { idx in
      try values.withUnsafeMutableBufferPointer { v in
        try source.copyExamples(idx, into: v)
        logDets.withUnsafeMutableBufferPointer {
          dequantization.apply(to: v, examples: idx, noise: Dequantization.evaluationNoise(seed: seed),
                               logDeterminants: $0)
        }
      }
    }
    let tape = Tape<Float>(parameters: trainable.parameters)
    let all = values.withUnsafeBufferPointer { tape.input($0, shape: Shape([n] + shape.dimensions)) }
    let (x0, x1) = (all.gathered(indices: Array(stride(from: 0, to: n, by: 2))),
                    all.gathered(indices: Array(stride(from: 1, to: n, by: 2))))
    let decoded = model.interpolate(from: x0, to: x1, count: steps)
    try write(decoded: Array(decoded.value), steps: steps, channels: shape[0], height: shape[1], width: shape[2],
              dequantization: dequantization, to: path)
    return SampleGrid.nonFiniteSamples(Array(decoded.value), size: size)
  }
}
