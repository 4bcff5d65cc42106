import Datasets
import Foundation
import Graphics
import XCTest

/// The degradations against the LR files of the shared SR patches, byte for byte: the first 24
/// HR patches of the rgb validation set (the public-domain NASA astronaut photo) with their stored
/// ×4 and ×2, bicubic and box LR versions are copied into `Fixtures/sr-patches`. Degrading each HR
/// patch must reproduce its stored LR patch exactly (the whole sets, 984,384 to 3,937,536 values
/// per file, gave 0 differing values as well).
final class SuperResolutionPatchesTests: XCTestCase {
  private let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/sr-patches").path

  private func images(_ name: String) throws -> [Image] {
    let source = try NpyImageSource(path: directory + "/" + name + ".npy", bins: 256)
    return try (0..<source.count).map(source.image(at:))
  }

  func testDegradingTheHRPatchesReproducesTheStoredLRPatches() throws {
    let hr = try images("sr_rgb_val_hr32")
    XCTAssertEqual(hr.count, 24)
    for degradation in Degradation.allCases {
      for (side, factor) in [(8, 4), (16, 2)] {
        let name = "sr_rgb_val_lr\(side)_\(degradation)"
        let stored = try images(name)
        XCTAssertEqual(stored.count, hr.count, name)
        for (k, (patch, lr)) in zip(hr, stored).enumerated() {
          let ours = degradation.downscale(patch, by: factor)
          XCTAssertEqual(ours.width, side, name)
          let differing = zip(ours.pixels, lr.pixels).filter { $0 != $1 }.count
          XCTAssertEqual(differing, 0, "\(name) patch \(k): \(differing) of \(lr.pixels.count) values differ")
        }
      }
    }
  }
}
