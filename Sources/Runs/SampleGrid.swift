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
    precondition(!temperatures.isEmpty && count > 0, "need at least one temperature and one sample")
    let shape = trainable.model.eventShape
    let (c, h, w) = (shape[0], shape[1], shape[2])
    var panels: [(title: String, image: Image)] = []
    for t in temperatures {
      let values = intensities(trainable, dequantization: dequantization, count: count, temperature: t, seed: seed)
      let images = Image.batch(planar: values, count: count, channels: c, height: h, width: w)
      panels.append((String(format: "T = %.2g", t),
                     Image.grid(images, scale: scale ?? defaultScale(h, w), background: separator)))
    }
    return Image.panels(panels)
  }

  /// Writes the picture to `path` (PNG).
  public static func write(
    _ trainable: TrainableFlow, dequantization: Dequantization,
    temperatures: [Double] = temperatures, count: Int = 64, seed: UInt64 = 0, to path: String
  ) throws {
    let picture = image(trainable, dequantization: dequantization, temperatures: temperatures, count: count, seed: seed)
    try PNG.write(picture, to: URL(fileURLWithPath: path))
  }

  /// The color between the images of a grid: mid gray, so it shows against black digit backgrounds.
  public static let separator = Color(gray: 128)

  /// The integer enlargement that makes an image about 64 pixels on its longer side (≥ 1).
  public static func defaultScale(_ height: Int, _ width: Int) -> Int { max(1, 64 / max(height, width)) }
}
