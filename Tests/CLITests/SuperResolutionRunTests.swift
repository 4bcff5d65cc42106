import Foundation
import XCTest

/// Super-resolution from the command line: a tiny srflow trains on HR/LR .npy pairs, then
/// `laminar upscale` super-resolves LR images of a size the model never saw, whole and in tiles.
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

  func testTrainThenUpscaleWholeAndTiled() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-sr-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try CLIFixture.npy(descr: "|u1", shape: [8, 16, 16, 3], images(count: 8, side: 16)).write(to: URL(fileURLWithPath: dir + "/hr.npy"))
    try CLIFixture.npy(descr: "|u1", shape: [8, 4, 4, 3], images(count: 8, side: 4, step: 4)).write(to: URL(fileURLWithPath: dir + "/lr.npy"))
    // LR images of 5×7, not a multiple of the model's LR side multiple (2), for padding and cropping.
    try CLIFixture.npy(descr: "|u1", shape: [1, 5, 7, 3], Array(images(count: 1, side: 7, step: 4).prefix(105)))
      .write(to: URL(fileURLWithPath: dir + "/odd.npy"))
    _ = try laminar([
      "train", "--config", "configs/sr-x4.yaml", "--out", dir + "/run",
      "--set", "data.train=\(dir)/hr.npy", "--set", "data.train_condition=\(dir)/lr.npy",
      "--set", "model.steps=1", "--set", "model.width=4", "--set", "model.encoder_width=4", "--set", "model.encoder_depth=1",
      "--set", "trainer.batch_size=4", "--set", "trainer.init_batch=4", "--set", "trainer.steps=2",
      "--set", "trainer.warmup_steps=0", "--set", "trainer.checkpoint_every=2", "--set", "trainer.eval_every=0",
    ])
    let checkpoint = dir + "/run/ckpt-000002.safetensors"
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
}
