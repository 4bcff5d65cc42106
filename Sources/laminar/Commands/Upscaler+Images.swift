import Graphics
import Runs

extension Upscaler {
  /// The 8-bit HR images of one LR image: temperature 0 first, then `samples` samples at
  /// `temperature` (latent noise of samples 0..<samples); what `laminar upscale` writes and
  /// `laminar eval` scores. `progress` hears each finished tile.
  func images(of lr: Image, temperature: Double, samples: Int, seed: UInt64,
              progress: (Int, Int) -> Void = { _, _ in }) -> [Image] {
    let s = scale
    let values = upscale(UpscaleWriter.levels(lr, bins: dequantization.bins), height: lr.height, width: lr.width,
                         temperatures: [0] + Array(repeating: temperature, count: samples),
                         samples: [0] + Array(0..<samples), seed: seed, progress: progress)
    return values.map {
      Image(floats: dequantization.intensities(fromModel: $0), width: lr.width * s, height: lr.height * s,
            channels: channels, layout: .planar)
    }
  }
}
