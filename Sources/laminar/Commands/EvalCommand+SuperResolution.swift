import ArgumentParser
import Collectives
import Evaluation
import Foundation
import Graphics
import Runs

extension Degradation: ExpressibleByArgument {}

extension Eval {
  /// An srflow model's upscaling of the LR images beside bicubic upscaling (issue 8): PSNR-Y,
  /// SSIM-Y, PSNR-RGB, SSIM-RGB, LR-PSNR and diversity at τ = 0 and at τ. Ranks score alternate
  /// images and sum a table with one row per image (the others hold zeros), so every rank holds
  /// the same report, for any number of ranks. nil when there are no LR/HR pairs to score.
  func evaluateSuperResolution(_ upscaler: Upscaler, world: any Communicator) throws -> SuperResolutionReport? {
    guard let items = try superResolutionPairs(upscaler) else { return nil }
    let s = upscaler.scale, samples = self.samples ?? 4, temperature = self.temperature ?? 0.8
    let degradation = lowResolutionDegradation(upscaler.trained)
    let width = SuperResolutionReport.figuresPerImage(samples: samples)
    var table = [Double](repeating: 0, count: items.count * width)
    let mine = items.indices.filter { $0 % world.size == world.rank }
    let started = Date(), every = max(1, mine.count / 10)
    for (k, i) in mine.enumerated() {
      let lr = try items[i].lr().converted(toChannels: upscaler.channels)
      let hr = try items[i].hr!().converted(toChannels: upscaler.channels)
      let predictions = [lr.resizedBicubic(width: lr.width * s, height: lr.height * s)]
        + upscaler.images(of: lr, temperature: temperature, samples: samples, seed: 0)
      var row: [Double] = []
      do {
        for prediction in predictions {
          let f = try SuperResolutionFidelity(prediction: prediction, reference: hr)
          row += [f.lumaError, f.channelError, f.lumaSSIM, f.channelSSIM,
                  try LowResolutionConsistency.meanSquaredError(prediction: prediction, lowResolution: lr,
                                                                degradation: degradation, factor: s)]
        }
        row.append(samples >= 2 ? try SampleDiversity.meanStandardDeviation(Array(predictions.dropFirst(2))) : 0)
      } catch {
        throw ValidationError("\(items[i].name): \(error)")
      }
      table.replaceSubrange(i * width ..< (i + 1) * width, with: row)
      if (k + 1) % every == 0 || k + 1 == mine.count {
        FileHandle.standardError.write(Data(((world.size > 1 ? "rank \(world.rank): " : "")
          + "super-resolution: scored \(k + 1)/\(mine.count) images (\(String(format: "%.1f", Date().timeIntervalSince(started))) s)\n").utf8))
      }
    }
    try world.allReduce(&table, .sum)
    return SuperResolutionReport(table: table, images: items.count, scale: s, degradation: degradation,
                                 temperature: temperature, samples: samples)
  }

  /// HR images with their LR inputs: --condition's LR images for --data's HR images (.npy rows,
  /// or PNG folders matched by name); a --data folder of photos alone, each cropped to a multiple
  /// of the scale and degraded to its LR image; without --data the run's validation pairs.
  private func superResolutionPairs(_ upscaler: Upscaler) throws -> [UpscaleItem]? {
    let spec = upscaler.trained.spec.data
    if let data {
      if let condition { return try UpscaleInputs.read(condition, hr: data, bins: upscaler.dequantization.bins).items }
      return try photoPairs(data, upscaler)
    }
    if let hr = spec.validationPath, let lr = spec.validationConditionPath {
      return try UpscaleInputs.read(lr, hr: hr, bins: upscaler.dequantization.bins).items
    }
    return try spec.validationPath.flatMap { try photoPairs($0, upscaler) }
  }

  /// nil unless `folder` is a folder of PNGs.
  private func photoPairs(_ folder: String, _ upscaler: Upscaler) throws -> [UpscaleItem]? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
    let s = upscaler.scale
    let degradation = lowResolutionDegradation(upscaler.trained)
    return try UpscaleInputs.read(folder, hr: nil, bins: upscaler.dequantization.bins).items.map { item in
      let hr = { () throws -> Image in
        let photo = try item.lr().converted(toChannels: upscaler.channels)
        return photo.cropped(x: 0, y: 0, width: photo.width / s * s, height: photo.height / s * s)
      }
      return UpscaleItem(name: item.name, lr: { degradation.downscale(try hr(), by: s) }, hr: hr)
    }
  }
}

/// One method's figures over the images: PSNR as the mean over images and pooled, SSIM as the
/// mean, LR-PSNR of the prediction degraded back, and diversity over the samples at τ.
struct SuperResolutionRow: Encodable {
  let method: String
  let temperature: Double?
  let psnrYMean, psnrYPooled, ssimY, psnrRGBMean, psnrRGBPooled, ssimRGB, lrPSNRMean, lrPSNRPooled: Double
  /// Mean per-pixel standard deviation over the samples, in levels; nil for deterministic rows.
  let diversity: Double?

  init(method: String, temperature: Double?, scores: SuperResolutionScores, lowResolution: PSNR.Summary,
       diversity: Double?) {
    (self.method, self.temperature, self.diversity) = (method, temperature, diversity)
    (psnrYMean, psnrYPooled, ssimY) = (scores.psnrY.mean, scores.psnrY.pooled, scores.ssimY)
    (psnrRGBMean, psnrRGBPooled, ssimRGB) = (scores.psnrRGB.mean, scores.psnrRGB.pooled, scores.ssimRGB)
    (lrPSNRMean, lrPSNRPooled) = (lowResolution.mean, lowResolution.pooled)
  }
}

/// The super-resolution section of `laminar eval`: bicubic, the model at τ = 0, the model at τ
/// (every sample scored as an image).
struct SuperResolutionReport: Encodable {
  let images: Int, scale: Int, degradation: String, samples: Int, seed: Int
  let rows: [SuperResolutionRow]

  /// Per image: (luma MSE, RGB MSE, SSIM-Y, SSIM-RGB, LR MSE) of bicubic, τ = 0 and each sample,
  /// then the diversity of the samples.
  static func figuresPerImage(samples: Int) -> Int { 5 * (2 + samples) + 1 }

  init(table: [Double], images: Int, scale: Int, degradation: Degradation, temperature: Double, samples: Int) {
    let width = Self.figuresPerImage(samples: samples)
    var scores = [SuperResolutionScores](repeating: SuperResolutionScores(), count: 3)
    var lowResolution = [PSNR.Summary](repeating: PSNR.Summary(), count: 3)
    var diversity = 0.0
    for n in 0..<images {
      let row = table[n * width ..< (n + 1) * width].map { $0 }
      for slot in 0 ..< 2 + samples {
        let f = row[5 * slot ..< 5 * slot + 5].map { $0 }
        scores[min(slot, 2)].add(SuperResolutionFidelity(lumaError: f[0], channelError: f[1], lumaSSIM: f[2], channelSSIM: f[3]))
        lowResolution[min(slot, 2)].add(meanSquaredError: f[4])
      }
      diversity += row[width - 1]
    }
    rows = [
      SuperResolutionRow(method: "bicubic", temperature: nil, scores: scores[0], lowResolution: lowResolution[0], diversity: nil),
      SuperResolutionRow(method: "srflow", temperature: 0, scores: scores[1], lowResolution: lowResolution[1], diversity: nil),
      SuperResolutionRow(method: "srflow", temperature: temperature, scores: scores[2], lowResolution: lowResolution[2],
                         diversity: samples >= 2 ? diversity / Double(images) : nil),
    ]
    (self.images, self.scale, self.degradation, self.samples, seed) = (images, scale, degradation.rawValue, samples, 0)
  }

  func printTable() {
    print("super-resolution ×\(scale), \(images) images; LR-PSNR degrades by \(degradation); "
          + "τ row: \(samples) sample\(samples == 1 ? "" : "s") per image (seed \(seed)), each scored")
    print("method          PSNR-Y mean pooled  SSIM-Y  PSNR-RGB mean pooled  SSIM-RGB  LR-PSNR mean pooled  diversity")
    for row in rows {
      let name = row.temperature.map { "\(row.method) τ=\(String(format: "%g", $0))" } ?? row.method
      print(name.padding(toLength: 15, withPad: " ", startingAt: 0)
            + String(format: " %11.3f %6.3f  %6.4f  %13.3f %6.3f  %8.4f  %12.3f %6.3f", row.psnrYMean, row.psnrYPooled,
                     row.ssimY, row.psnrRGBMean, row.psnrRGBPooled, row.ssimRGB, row.lrPSNRMean, row.lrPSNRPooled)
            + (row.diversity.map { String(format: "  %9.4f", $0) } ?? "          —"))
    }
  }
}
