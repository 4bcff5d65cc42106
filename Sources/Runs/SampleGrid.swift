import Autodiff
import Datasets
import Flows
import Foundation
import Graphics
import TensorCore

/// Pictures of an image model's samples: one titled panel per temperature, each a grid of
/// samples shown as the discrete images they fall in.
///
/// Every panel draws the same latent noise (`RandomStream(seed:, purpose: .sampling)`, examples
/// 0 ..< count), so the panels show the same samples at different temperatures.
public enum SampleGrid {
  /// The temperatures of the picture `laminar train` writes at the end of an image run.
  public static let temperatures: [Double] = [0, 0.5, 0.7, 1]

  /// [count, C, H, W] display intensities in [0, 1] of `count` samples at `temperature`.
  public static func intensities(
    _ trainable: TrainableFlow, dequantization: Dequantization, count: Int, temperature: Double, seed: UInt64
  ) -> [Float] {
    let model = trainable.model
    precondition(model.eventShape.rank == 3, "sample grids are for [C, H, W] image models, got \(model.eventShape)")
    let tape = Tape<Float>(parameters: trainable.parameters)
    let noise = RandomStream(seed: seed, purpose: .sampling)
    let x = model.sample(count: count, on: tape, temperature: temperature, noise: noise)
    return dequantization.intensities(fromModel: Array(x.value))
  }

  /// The picture.
  /// - Parameter scale: pixels per image pixel; nil enlarges small images to about 64 pixels.
  public static func image(
    _ trainable: TrainableFlow, dequantization: Dequantization,
    temperatures: [Double] = temperatures, count: Int = 64, seed: UInt64 = 0, scale: Int? = nil
  ) -> Image {
    picture(trainable, dequantization: dequantization, temperatures: temperatures, count: count, seed: seed,
            scale: scale).image
  }

  /// The picture and how many samples over all panels held a NaN (drawn black; each panel's
  /// title counts its own).
  static func picture(
    _ trainable: TrainableFlow, dequantization: Dequantization,
    temperatures: [Double], count: Int, seed: UInt64, scale: Int?
  ) -> (image: Image, nonFinite: Int) {
    precondition(!temperatures.isEmpty && count > 0, "need at least one temperature and one sample")
    let shape = trainable.model.eventShape
    let (c, h, w) = (shape[0], shape[1], shape[2])
    var panels: [(title: String, image: Image)] = []
    var nonFinite = 0
    for t in temperatures {
      let values = intensities(trainable, dequantization: dequantization, count: count, temperature: t, seed: seed)
      let images = Image.batch(planar: values, count: count, channels: c, height: h, width: w)
      let bad = nonFiniteSamples(values, size: c * h * w)
      nonFinite += bad
      panels.append((String(format: "T = %.2g", t) + (bad > 0 ? ", \(bad) NaN (black)" : ""),
                     Image.grid(images, scale: scale ?? defaultScale(h, w), background: separator)))
    }
    return (Image.panels(panels), nonFinite)
  }

  /// How many of the samples of `size` values each hold a NaN.
  public static func nonFiniteSamples(_ values: [Float], size: Int) -> Int {
    stride(from: 0, to: values.count, by: size).filter { start in
      values[start..<min(start + size, values.count)].contains { !$0.isFinite }
    }.count
  }

  /// Writes the picture to `path` (PNG); returns how many samples held a NaN, for a warning.
  @discardableResult
  public static func write(
    _ trainable: TrainableFlow, dequantization: Dequantization,
    temperatures: [Double] = temperatures, count: Int = 64, seed: UInt64 = 0, to path: String
  ) throws -> Int {
    let drawn = picture(trainable, dequantization: dequantization, temperatures: temperatures, count: count,
                        seed: seed, scale: nil)
    try PNG.write(drawn.image, to: URL(fileURLWithPath: path))
    return drawn.nonFinite
  }

  /// The color between the images of a grid: mid gray, so it shows against black digit backgrounds.
  public static let separator = Color(gray: 128)

  /// The integer enlargement that makes an image about 64 pixels on its longer side (≥ 1).
  public static func defaultScale(_ height: Int, _ width: Int) -> Int { max(1, 64 / max(height, width)) }
}
