import Collectives
import Datasets
import Foundation
import Graphics
import Runs

/// Upscales one image and writes its PNGs and comparison strip, printing progress.
struct UpscaleWriter {
  let upscaler: Upscaler
  let out: String
  let temperature: Double
  let samples: Int
  let seed: UInt64
  let rank: Int, ranks: Int

  /// File name parts of the outputs: temperature 0, then the samples.
  var variants: [String] {
    ["t0"] + (0..<samples).map { "t\(String(format: "%g", temperature))-\($0)" }
  }

  /// The HR images of `item` (temperature 0 first); writes them, and the strip.
  func write(_ item: UpscaleItem, index: Int, of count: Int) throws -> [Image] {
    let lr = try item.lr().converted(toChannels: upscaler.channels)
    let started = Date()
    let tiles = upscaler.tileCount(height: lr.height, width: lr.width)
    let s = upscaler.scale
    let images = upscaler.images(of: lr, temperature: temperature, samples: samples, seed: seed) { done, total in
      if tiles > 1 { report("\(item.name): tile \(done)/\(total)") }
    }
    for (image, variant) in zip(images, variants) {
      try PNG.write(image, to: URL(fileURLWithPath: "\(out)/\(item.name)-\(variant).png"))
    }
    let hr = try item.hr.map { try $0().converted(toChannels: upscaler.channels) }
    try PNG.write(strip(lr: lr, results: images, hr: hr), to: URL(fileURLWithPath: "\(out)/\(item.name)-strip.png"))
    let seconds = Date().timeIntervalSince(started)
    let megapixels = Double(images.count * lr.width * lr.height * s * s) / 1e6
    report("[\(index + 1)/\(count)] \(item.name): \(lr.width)×\(lr.height) → \(lr.width * s)×\(lr.height * s), "
           + "\(images.count) images in \(String(format: "%.2f", seconds)) s "
           + "(\(String(format: "%.3g", megapixels / max(seconds, 1e-9))) MP/s)")
    return images
  }

  /// LR (nearest) | bicubic | T = 0 | samples | HR, enlarged so small patches stay visible.
  func strip(lr: Image, results: [Image], hr: Image?) -> Image {
    let s = upscaler.scale
    let zoom = max(1, 128 / max(lr.width * s, lr.height * s))
    var panels = [("LR (nearest)", lr.upscaled(by: s)), ("bicubic", lr.resizedBicubic(width: lr.width * s, height: lr.height * s))]
    panels += zip(["T = 0"] + (0..<samples).map { "T = \(String(format: "%g", temperature)) #\($0 + 1)" }, results)
      .map { ($0, $1) }
    if let hr { panels.append(("HR", hr)) }
    return Image.panels(panels.map { (title: $0.0, image: $0.1.upscaled(by: zoom)) })
  }

  /// Planar levels [C, h, w] of an 8-bit image for a model of `bins` levels.
  static func levels(_ image: Image, bins: Int) -> [Float] {
    let plane = image.width * image.height, merge = 256 / bins
    var out = [Float](repeating: 0, count: plane * image.channels)
    for p in 0..<plane {
      for c in 0..<image.channels { out[c * plane + p] = Float(Int(image.pixels[p * image.channels + c]) / merge) }
    }
    return out
  }

  private func report(_ line: String) {
    print(ranks > 1 ? "rank \(rank): \(line)" : line)
  }
}

/// The results of an .npy input, one (N, H, W, C) uint8 array per output, assembled over the
/// ranks (each fills its own rows) and written by rank 0.
struct UpscaleArrays {
  let rows: Int
  private var values: [[Float]]
  private var shape: [Int] = []

  init(rows: Int, variants: Int) {
    self.rows = rows
    values = Array(repeating: [], count: variants)
  }

  mutating func store(_ images: [Image], row: Int) {
    for (k, image) in images.enumerated() {
      let size = image.pixels.count
      if values[k].isEmpty { values[k] = [Float](repeating: 0, count: rows * size) }
      shape = [rows, image.height, image.width, image.channels]
      for i in 0..<size { values[k][row * size + i] = Float(image.pixels[i]) }
    }
  }

  /// Every rank must call this: the rows are summed over the ranks (the others hold zeros).
  mutating func write(world: any Communicator, stem: String, to writer: UpscaleWriter) throws {
    // Ranks without rows learn the shape from the others.
    var known = (shape.isEmpty ? [0, 0, 0, 0] : shape).map(Double.init)
    try world.allReduce(&known, .max)
    let dims = known.map { Int($0) }, size = dims.reduce(1, *)
    for (k, variant) in writer.variants.enumerated() {
      if values[k].isEmpty { values[k] = [Float](repeating: 0, count: size) }
      try world.allReduce(&values[k], .sum)
      if world.rank == 0 {
        try NpyWriter.write(values[k].map { UInt8($0) }, shape: dims, to: "\(writer.out)/\(stem)-\(variant).npy")
      }
    }
  }
}
