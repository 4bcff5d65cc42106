import Configuration
import Datasets
import Foundation
import Graphics
import Runs
import XCTest

/// The `data` keys of super-resolution pairs cut from a photo folder.
extension ImageDataSpecTests {
  /// A fresh directory for one test's files; the caller removes it.
  private func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-sr-spec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func testPhotoFoldersAreCutIntoPairsAsConfigured() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try PNG.write(Image(width: 40, height: 36, channels: 3, filledWith: .white), to: directory.appendingPathComponent("a.png"))
    let data = try spec("""
      data: {source: images, train: \(directory.path), crop: 16, scale: 4, degradation: box, crops_per_image: 5}
      """)
    XCTAssertEqual(data.photoCrops, PhotoCropSpec(crop: 16, scale: 4, degradation: .box, cropsPerImage: 5))
    let (training, validation) = try data.makeSources()
    XCTAssertTrue(training is PhotoCropSource)
    XCTAssertNil(validation)
    XCTAssertEqual(training.count, 5)
    XCTAssertEqual(training.conditionShape, [3, 4, 4])
    XCTAssertEqual(try spec("data: {source: images, train: x, crop: 32, scale: 2}").photoCrops,
                   PhotoCropSpec(crop: 32, scale: 2, degradation: .bicubic, cropsPerImage: 1), "bicubic by default")
  }

  func testBadSuperResolutionKeysAreNamed() {
    assertConfigError("data: {source: images, train: x, crop: 30, scale: 4}", "crop")
    assertConfigError("data: {source: images, train: x, crop: 32}", "scale")
    assertConfigError("data: {source: images, train: x, crop: 32, scale: 4, degradation: lanczos}", "degradation")
    assertConfigError("data: {source: images, train: x, train_condition: y, crop: 32, scale: 4}", "crop")
    // Without crop, scale and degradation are not super-resolution keys, so they are unknown.
    assertConfigError("data: {source: images, train: x, degradation: box}", "degradation")
  }
}
