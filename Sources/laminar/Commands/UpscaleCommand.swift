import ArgumentParser
import Collectives
import Datasets
import Foundation
import Graphics
import Runs

struct Upscale: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Super-resolve whole images with a trained super-resolution (srflow) model.",
    discussion: """
      --input is a PNG photo, an (N, h, w, C) uint8 .npy of LR images, or a folder of PNG files (ranks
      share its images). Images of any size are padded to the model's multiple and cropped back, and
      go through the model in tiles of --tile LR pixels with --margin pixels of overlap. For each image
      NAME, --out receives NAME-t0.png (temperature 0), NAME-t<T>-<k>.png (--samples samples at
      --temperature) and NAME-strip.png: LR (nearest) | bicubic | T = 0 | samples | HR (with --hr).
      An .npy input also gives one (N, H, W, C) uint8 .npy per output.
        laminar upscale --checkpoint runs/sr-x4/best.safetensors --input photo.png --temperature 0.8 --samples 4 --out up
        launch/run -np 2 .build/release/laminar upscale --checkpoint C --input photos/ --out up
      """)

  @Option(help: "A checkpoint of an srflow model written by laminar train.")
  var checkpoint: String

  @Option(help: ArgumentHelp("The LR image(s).", valueName: "photo.png|LR.npy|DIR"))
  var input: String

  @Option(help: "The output folder (created if missing).")
  var out: String

  @Option(parsing: .unconditional, help: "Scale of the latent's standard deviation for the samples.")
  var temperature = 0.8

  @Option(parsing: .unconditional, help: "Samples at --temperature per image (besides temperature 0).")
  var samples = 4

  @Option(parsing: .unconditional, help: "Seed of the sampling noise.")
  var seed: UInt64 = 0

  @Option(help: ArgumentHelp("The HR image(s) for the strips, matching --input by name or row.", valueName: "HR.png|HR.npy|DIR"))
  var hr: String?

  @Option(parsing: .unconditional, help: "Tile side in LR pixels (large images go through the model in tiles).")
  var tile = Upscaler.defaultTile

  @Option(parsing: .unconditional, help: "LR pixels of context around each tile.")
  var margin = Upscaler.defaultMargin

  @Flag(help: "Use the EMA copy of the parameters.")
  var averaged = false

  func validate() throws {
    guard samples >= 0 else { throw ValidationError("--samples must be ≥ 0, got \(samples)") }
    guard temperature >= 0 && temperature.isFinite else {
      throw ValidationError("--temperature must be a finite number ≥ 0, got \(temperature)")
    }
    guard tile >= 1 else { throw ValidationError("--tile must be ≥ 1 LR pixel, got \(tile)") }
    guard margin >= 0 else { throw ValidationError("--margin must be ≥ 0, got \(margin)") }
  }

  func run() throws {
    try withWorld { world in
      let upscaler = try Upscaler(TrainedModel(checkpoint: checkpoint, averaged: averaged), tile: tile, margin: margin)
      let items = try UpscaleInputs.read(input, hr: hr, bins: upscaler.dequantization.bins)
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
      let writer = UpscaleWriter(upscaler: upscaler, out: out, temperature: temperature, samples: samples, seed: seed,
                                 rank: world.rank, ranks: world.size)
      let mine = items.items.indices.filter { $0 % world.size == world.rank }
      var arrays = items.isArray ? UpscaleArrays(rows: items.items.count, variants: 1 + samples) : nil
      for i in mine {
        let results = try writer.write(items.items[i], index: i, of: items.items.count)
        arrays?.store(results, row: i)
      }
      try arrays?.write(world: world, stem: items.stem, to: writer)
      if world.rank == 0 {
        print("upscaled \(items.items.count) image\(items.items.count == 1 ? "" : "s") ×\(upscaler.scale) into \(out)")
      }
    }
  }
}
