import Evaluation
import Foundation
import Graphics
import XCTest

/// Super-resolution from the command line: a tiny srflow trains on HR/LR .npy pairs, then
/// `laminar upscale` super-resolves LR images of a size the model never saw, whole and in tiles,
/// and `laminar eval` scores its upscaling beside bicubic.
final class SuperResolutionRunTests: XCTestCase {
  private func laminar(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let outcome = try LaminarProcess.run(arguments, timeout: 120)
    XCTAssertEqual(outcome.status, 0, "laminar \(arguments.joined(separator: " ")):\n\(outcome.errors)",
                   file: file, line: line)
    return outcome.output + outcome.errors
  }

  /// (N, side, side, 3) uint8 images: smooth gradients, different per image.
  private func images(count: Int, side: Int, step: Int = 1) -> [UInt8] {
    var out: [UInt8] = []
    for n in 0..<count {
      for y in 0..<side {
        for x in 0..<side {
          for c in 0..<3 { out.append(UInt8((40 + 9 * n + 5 * c + (x * 3 + y * (2 + c)) * step) % 256)) }
        }
      }
    }
    return out
  }

  /// A folder with 8 HR 16×16 / LR 4×4 pairs (hr.npy, lr.npy), odd.npy, and a tiny ×4 srflow trained
  /// 2 steps on the pairs; returns the folder and the checkpoint.
  private func trainTinyModel() throws -> (dir: String, checkpoint: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-sr-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try CLIFixture.npy(descr: "|u1", shape: [8, 16, 16, 3], images(count: 8, side: 16)).write(to: URL(fileURLWithPath: dir + "/hr.npy"))
    try CLIFixture.npy(descr: "|u1", shape: [8, 4, 4, 3], images(count: 8, side: 4, step: 4)).write(to: URL(fileURLWithPath: dir + "/lr.npy"))
    // LR images of 5×7, not a multiple of the model's LR side multiple (2), for padding and cropping.
    try CLIFixture.npy(descr: "|u1", shape: [1, 5, 7, 3], Array(images(count: 1, side: 7, step: 4).prefix(105)))
      .write(to: URL(fileURLWithPath: dir + "/odd.npy"))
    _ = try laminar([
      "train", "--config", "configs/sr-x4.yaml", "--out", dir + "/run",
      "--set", "data.train=\(dir)/hr.npy", "--set", "data.train_condition=\(dir)/lr.npy",
      "--set", "model.steps=1", "--set", "model.width=4", "--set", "model.encoder_width=4", "--set", "model.encoder_depth=1",
      "--set", "model.encoder_warm_start=1",
      "--set", "trainer.batch_size=4", "--set", "trainer.init_batch=4", "--set", "trainer.steps=2",
      "--set", "trainer.warmup_steps=0", "--set", "trainer.checkpoint_every=2", "--set", "trainer.eval_every=0",
    ])
    return (dir, dir + "/run/ckpt-000002.safetensors")
  }

  func testTrainThenUpscaleWholeAndTiled() throws {
    let (dir, checkpoint) = try trainTinyModel()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let whole = try laminar(["upscale", "--checkpoint", checkpoint, "--input", dir + "/odd.npy", "--samples", "2",
                             "--out", dir + "/whole"])
    XCTAssertTrue(whole.contains("7×5 → 28×20"), whole)
    for name in ["odd-0-t0.png", "odd-0-t0.8-0.png", "odd-0-t0.8-1.png", "odd-0-strip.png", "odd-t0.npy"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/whole/\(name)"), name)
    }
    let tiled = try laminar(["upscale", "--checkpoint", checkpoint, "--input", dir + "/odd.npy", "--samples", "2",
                             "--tile", "2", "--margin", "4", "--out", dir + "/tiled"])
    XCTAssertTrue(tiled.contains("tile 36/36"), tiled)  // 3 × 4 tiles of the padded 6 × 8, for 3 outputs
    for variant in ["t0", "t0.8-1"] {
      let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/whole/odd-\(variant).npy"))
      let b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/tiled/odd-\(variant).npy"))
      XCTAssertEqual(a.count, b.count)
      let largest = zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
      XCTAssertLessThanOrEqual(largest, 1, "\(variant): tiles differ from the whole image by up to \(largest) levels")
    }
    let evaluated = try laminar(["eval", "--checkpoint", checkpoint, "--data", dir + "/hr.npy", "--condition", dir + "/lr.npy"])
    XCTAssertTrue(evaluated.contains("examples     8") && evaluated.contains("bits/dim"), evaluated)
    let missing = try LaminarProcess.run(["upscale", "--checkpoint", checkpoint, "--input", dir + "/none.png",
                                          "--out", dir + "/none"])
    XCTAssertNotEqual(missing.status, 0)
    XCTAssertTrue(missing.errors.contains("none.png does not exist"), missing.errors)
    let notSR = try LaminarProcess.run(["sample", "--checkpoint", checkpoint, "--count", "2", "--out", dir + "/s.png"])
    XCTAssertNotEqual(notSR.status, 0)
    XCTAssertTrue(notSR.errors.contains("laminar upscale"), notSR.errors)
  }

  /// `laminar eval` of an SR checkpoint: the likelihood, then bicubic, τ = 0 and τ rows; the
  /// bicubic row equals the metrics computed here from the same arrays.
  func testEvalScoresUpscalingBesideBicubic() throws {
    let (dir, checkpoint) = try trainTinyModel()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let common = ["eval", "--checkpoint", checkpoint, "--data", dir + "/hr.npy", "--condition", dir + "/lr.npy",
                  "--samples", "3", "--temperature", "0.7"]
    let text = try laminar(common)
    for field in ["bits/dim", "super-resolution ×4, 8 images", "PSNR-Y mean pooled", "SSIM-RGB", "LR-PSNR",
                  "diversity", "bicubic ", "srflow τ=0 ", "srflow τ=0.7 ", "scored 8/8 images"] {
      XCTAssertTrue(text.contains(field), "\(field) missing from:\n\(text)")
    }
    let outcome = try LaminarProcess.run(common + ["--json"], timeout: 120)
    XCTAssertEqual(outcome.status, 0, outcome.errors)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any], outcome.output)
    XCTAssertNotNil(object["bits_per_dim"] as? Double)
    let sr = try XCTUnwrap(object["super_resolution"] as? [String: Any])
    XCTAssertEqual(sr["images"] as? Int, 8)
    XCTAssertEqual(sr["degradation"] as? String, "bicubic")
    let rows = try XCTUnwrap(sr["rows"] as? [[String: Any]])
    XCTAssertEqual(rows.map { $0["method"] as? String }, ["bicubic", "srflow", "srflow"])
    XCTAssertEqual(rows[2]["temperature"] as? Double, 0.7)
    XCTAssertNil(rows[1]["diversity"])
    XCTAssertGreaterThan(try XCTUnwrap(rows[2]["diversity"] as? Double), 0)

    var scores = SuperResolutionScores(), lowResolution = PSNR.Summary()
    let (hr, lr) = (images(count: 8, side: 16), images(count: 8, side: 4, step: 4))
    for n in 0..<8 {
      let high = Image(width: 16, height: 16, channels: 3, pixels: Array(hr[n * 768 ..< (n + 1) * 768]))
      let low = Image(width: 4, height: 4, channels: 3, pixels: Array(lr[n * 48 ..< (n + 1) * 48]))
      let bicubic = low.resizedBicubic(width: 16, height: 16)
      scores.add(try SuperResolutionFidelity(prediction: bicubic, reference: high))
      lowResolution.add(meanSquaredError: try LowResolutionConsistency.meanSquaredError(
        prediction: bicubic, lowResolution: low, degradation: .bicubic, factor: 4))
    }
    let expected: [String: Double] = [
      "psnr_y_mean": scores.psnrY.mean, "psnr_y_pooled": scores.psnrY.pooled, "ssim_y": scores.ssimY,
      "psnr_rgb_mean": scores.psnrRGB.mean, "psnr_rgb_pooled": scores.psnrRGB.pooled, "ssim_rgb": scores.ssimRGB,
      "lr_psnr_mean": lowResolution.mean, "lr_psnr_pooled": lowResolution.pooled,
    ]
    for (key, value) in expected {
      XCTAssertEqual(try XCTUnwrap(rows[0][key] as? Double, key), value, accuracy: 1e-9 * max(1, abs(value)), key)
    }

    // A folder of HR photos alone: each is degraded to its LR input (here by box).
    try FileManager.default.createDirectory(atPath: dir + "/photos", withIntermediateDirectories: true)
    for n in 0..<2 {
      try PNG.write(Image(width: 16, height: 16, channels: 3, pixels: Array(hr[n * 768 ..< (n + 1) * 768])),
                    to: URL(fileURLWithPath: "\(dir)/photos/\(n).png"))
    }
    let photos = try LaminarProcess.run(["eval", "--checkpoint", checkpoint, "--data", dir + "/photos",
                                         "--degradation", "box", "--samples", "2", "--json"], timeout: 120)
    XCTAssertEqual(photos.status, 0, photos.errors)
    let photoObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(photos.output.utf8)) as? [String: Any])
    let photoSR = try XCTUnwrap(photoObject["super_resolution"] as? [String: Any], photos.output)
    XCTAssertEqual(photoSR["images"] as? Int, 2)
    XCTAssertEqual(photoSR["degradation"] as? String, "box")
    XCTAssertEqual(photoObject["examples"] as? Int, 2)
  }
}
