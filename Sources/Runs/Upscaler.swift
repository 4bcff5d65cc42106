import Autodiff
import Datasets
import Flows
import Models
import TensorCore

/// Super-resolves whole low-resolution images of any size with a trained SRFlow model.
///
/// The model is fully convolutional, so it runs on the image itself: the LR image is padded by
/// repeating its edge pixels to the model's multiple and the result cropped back. Large images
/// go in tiles whose outputs are kept only in their core; each tile sees `margin` extra LR
/// pixels on every side, so convolutions at a tile's edge read real neighbours, and every tile
/// cuts its latent out of one latent drawn for the whole image (noise keyed by sample and pixel,
/// not by tile), so tiles join without seams.
public struct Upscaler {
  public let trained: TrainedModel
  public let spec: SuperResolutionSpec
  public let dequantization: Dequantization
  /// Tile core and margin, in LR pixels (multiples of the LR side multiple).
  public let tile: Int, margin: Int
  /// `laminar upscale`'s default tile and margin, which `laminar eval` uses too.
  public static let defaultTile = 64, defaultMargin = 8
  private let encoder: any ConditionEncoder
  private let tape: Tape<Float>

  /// Throws when the checkpoint holds no super-resolution model.
  public init(_ trained: TrainedModel, tile: Int, margin: Int) throws {
    guard case .superResolution(let spec) = trained.spec.model, let encoder = trained.model.conditionEncoder,
          let dequantization = trained.spec.data.dequantization else {
      throw UpscaleError("\(trained.checkpoint.path) holds no super-resolution model (model.family srflow); "
                         + "laminar upscale needs a checkpoint trained with a config such as configs/sr-x4.yaml")
    }
    self.trained = trained
    self.spec = spec
    self.dequantization = dequantization
    self.encoder = encoder
    let step = lrMultiple(spec)
    self.tile = max(step, (tile + step - 1) / step * step)
    self.margin = (margin + step - 1) / step * step
    tape = Tape<Float>(parameters: trained.trainable.parameters)
  }

  public var scale: Int { spec.scale }
  public var channels: Int { trained.model.eventShape[0] }

  /// Tiles an LR image of `height` × `width` is cut into.
  public func tileCount(height: Int, width: Int) -> Int {
    let (h, w) = padded(height, width)
    return ((h + tile - 1) / tile) * ((w + tile - 1) / tile)
  }

  /// The HR images, as planar model-space values [C, H·scale, W·scale], of the LR image `lr`
  /// (planar levels [C, height, width]) at each of `temperatures`, latent noise of sample
  /// `samples[i]`; `progress` hears each finished tile.
  public func upscale(_ lr: [Float], height: Int, width: Int, temperatures: [Double], samples: [Int],
                      seed: UInt64, progress: (Int, Int) -> Void = { _, _ in }) -> [[Float]] {
    precondition(lr.count == channels * height * width && temperatures.count == samples.count)
    let (ph, pw) = padded(height, width)
    let lrPadded = Self.crop(lr, channels: channels, height: height, width: width, rows: 0..<ph, columns: 0..<pw)
    let s = scale, (H, W) = (ph * s, pw * s)
    var outputs = [[Float]](repeating: [Float](repeating: 0, count: channels * H * W), count: samples.count)
    let noise = RandomStream(seed: seed, purpose: .sampling)
    let tiles = tileCount(height: height, width: width)
    var done = 0
    for (k, (t, sample)) in zip(temperatures, samples).enumerated() {
      var latent = [Float](repeating: 0, count: channels * H * W)
      if t > 0 {
        latent.withUnsafeMutableBufferPointer { noise.fillNormal($0, offset: RandomStream.offset(example: sample)) }
        for i in latent.indices { latent[i] *= Float(t) }
      }
      for y0 in stride(from: 0, to: ph, by: tile) {
        for x0 in stride(from: 0, to: pw, by: tile) {
          let core = (y0..<min(y0 + tile, ph), x0..<min(x0 + tile, pw))
          let outer = (max(0, y0 - margin)..<min(ph, y0 + tile + margin), max(0, x0 - margin)..<min(pw, x0 + tile + margin))
          let hr = decode(lr: Self.crop(lrPadded, channels: channels, height: ph, width: pw, rows: outer.0, columns: outer.1),
                          latent: Self.crop(latent, channels: channels, height: H, width: W,
                                            rows: outer.0.lowerBound * s..<outer.0.upperBound * s,
                                            columns: outer.1.lowerBound * s..<outer.1.upperBound * s),
                          height: outer.0.count, width: outer.1.count)
          Self.paste(hr, channels: channels, height: outer.0.count * s, width: outer.1.count * s,
                     from: ((core.0.lowerBound - outer.0.lowerBound) * s, (core.1.lowerBound - outer.1.lowerBound) * s),
                     size: (core.0.count * s, core.1.count * s),
                     into: &outputs[k], height: H, width: W, at: (core.0.lowerBound * s, core.1.lowerBound * s))
          done += 1
          progress(done, tiles * samples.count)
        }
      }
    }
    return outputs.map {
      Self.crop($0, channels: channels, height: H, width: W, rows: 0..<height * s, columns: 0..<width * s)
    }
  }

  /// One tile through the encoder and the inverse flow (plus the model's offset, the tile's
  /// bicubic upscaling under `skip: bicubic`): LR levels [C, h, w] and latent [C, h·s, w·s] → HR
  /// model-space values [C, h·s, w·s]. The margin keeps the crop's edges out of the core.
  private func decode(lr: [Float], latent: [Float], height h: Int, width w: Int) -> [Float] {
    tape.reset()
    let condition = lr.withUnsafeBufferPointer { tape.input($0, shape: [1, channels, h, w]) }
    let z = latent.withUnsafeBufferPointer { tape.input($0, shape: [1, channels, h * scale, w * scale]) }
    let residual = trained.model.flow.inverse(z, condition: encoder.encode(condition)).output
    return Array(trained.model.absolute(residual, from: condition).value)
  }

  private func padded(_ height: Int, _ width: Int) -> (Int, Int) {
    let m = lrMultiple(spec)
    return ((height + m - 1) / m * m, (width + m - 1) / m * m)
  }

  /// The planar crop `rows` × `columns` of a [C, height, width] image; rows and columns past
  /// the image repeat its last row and column (edge padding).
  static func crop(_ image: [Float], channels: Int, height: Int, width: Int, rows: Range<Int>,
                   columns: Range<Int>) -> [Float] {
    var out = [Float](repeating: 0, count: channels * rows.count * columns.count)
    var i = 0
    for c in 0..<channels {
      for y in rows {
        let row = (c * height + min(y, height - 1)) * width
        for x in columns {
          out[i] = image[row + min(x, width - 1)]
          i += 1
        }
      }
    }
    return out
  }

  /// Copies the `size` block at `from` of a planar [C, height, width] tile into `target` at `at`.
  static func paste(_ tile: [Float], channels: Int, height: Int, width: Int, from: (Int, Int), size: (Int, Int),
                    into target: inout [Float], height H: Int, width W: Int, at: (Int, Int)) {
    for c in 0..<channels {
      for y in 0..<size.0 {
        let source = (c * height + from.0 + y) * width + from.1
        let destination = (c * H + at.0 + y) * W + at.1
        for x in 0..<size.1 { target[destination + x] = tile[source + x] }
      }
    }
  }
}

/// LR sides must be multiples of this for the HR image to squeeze L times.
private func lrMultiple(_ spec: SuperResolutionSpec) -> Int { max(1, spec.sideMultiple / spec.scale) }

/// A reason `laminar upscale` cannot run, naming the input and the fix.
public struct UpscaleError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
