import Datasets
import Evaluation
import Foundation
import Graphics
import XCTest

/// A measurement behind a flag, not a CI check: with `LAMINAR_SR_PATCHES=DIR` (a folder holding
/// `sr_<set>_<split>_hr32.npy` and its `_lr8_/_lr16_bicubic|box.npy`, such as the shared
/// patches) it degrades every HR patch, counts the bytes that differ from the stored LR files,
/// and prints the bicubic-upscaling baseline (PSNR-Y, SSIM-Y, PSNR-RGB, SSIM-RGB, LR-PSNR).
/// Without the variable it skips; CI covers the same code through the Pillow and scikit-image
/// cross-checks on generated images.
///
/// ```
/// LAMINAR_SR_PATCHES=../shared/data/patches swift test --filter SuperResolutionPatchesMeasurement
/// ```
final class SuperResolutionPatchesMeasurement: XCTestCase {
  private var directory: String!

  override func setUpWithError() throws {
    guard let path = ProcessInfo.processInfo.environment["LAMINAR_SR_PATCHES"] else {
      throw XCTSkip("set LAMINAR_SR_PATCHES to a folder of SR patches to measure them")
    }
    directory = path
  }

  private func images(_ name: String) throws -> [Image] {
    let source = try NpyImageSource(path: directory + "/" + name + ".npy", bins: 256)
    return try (0..<source.count).map(source.image(at:))
  }

  func testDegradingTheHRPatchesReproducesTheStoredLRFiles() throws {
    for set in ["rgb_train", "rgb_val", "gray_train", "gray_val"] {
      let hr = try images("sr_\(set)_hr32")
      for degradation in Degradation.allCases {
        for (side, factor) in [(8, 4), (16, 2)] {
          let name = "sr_\(set)_lr\(side)_\(degradation)"
          let stored = try images(name)
          XCTAssertEqual(stored.count, hr.count, name)
          var (differing, largest, total) = (0, 0, 0)
          for (patch, lr) in zip(hr, stored) {
            let ours = degradation.downscale(patch, by: factor)
            for (a, b) in zip(ours.pixels, lr.pixels) where a != b {
              differing += 1
              largest = max(largest, abs(Int(a) - Int(b)))
            }
            total += lr.pixels.count
          }
          print("\(name): \(differing) of \(total) values differ (largest difference \(largest))")
          XCTAssertEqual(differing, 0, name)
        }
      }
    }
  }

  func testBicubicUpscalingBaseline() throws {
    for set in ["rgb_val", "gray_val"] {
      let hr = try images("sr_\(set)_hr32")
      for degradation in Degradation.allCases {
        for (side, factor) in [(8, 4), (16, 2)] {
          let lr = try images("sr_\(set)_lr\(side)_\(degradation)")
          var scores = SuperResolutionScores()
          var lrPSNR = PSNR.Summary()
          for (reference, input) in zip(hr, lr) {
            let upscaled = input.resizedBicubic(width: reference.width, height: reference.height)
            scores.add(try SuperResolutionFidelity(prediction: upscaled, reference: reference))
            lrPSNR.add(meanSquaredError: try LowResolutionConsistency.meanSquaredError(
              prediction: upscaled, lowResolution: input, degradation: degradation, factor: factor))
          }
          let row = [scores.psnrY.mean, scores.psnrY.pooled, scores.ssimY, scores.psnrRGB.mean, scores.psnrRGB.pooled,
                     scores.ssimRGB, lrPSNR.mean, lrPSNR.pooled]
          print("\(set) bicubic ×\(factor) from lr\(side)_\(degradation) (\(scores.count) patches): PSNR-Y mean/pooled, "
                + "SSIM-Y, PSNR-RGB mean/pooled, SSIM-RGB, LR-PSNR mean/pooled = "
                + row.map { String(format: "%.4f", $0) }.joined(separator: " "))
        }
      }
    }
  }
}
