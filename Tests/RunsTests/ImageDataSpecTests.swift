import Configuration
import Datasets
import Foundation
import Graphics
import Runs
import Training
import XCTest

final class ImageDataSpecTests: XCTestCase {
  func spec(_ yaml: String) throws -> DataSpec {
    let config = try Config(yaml: yaml, source: "run.yaml")
    let data = try DataSpec(config: config.section("data"))
    try config.rejectUnusedKeys()
    return data
  }

  func assertConfigError(_ yaml: String, _ fragment: String, line: UInt = #line) {
    XCTAssertThrowsError(try spec(yaml), line: line) {
      XCTAssertTrue("\($0)".contains(fragment), "'\($0)' lacks '\(fragment)'", line: line)
    }
  }

  func testTheEmbeddedDigitsNeedNothingElse() throws {
    let data = try spec("data: {source: digits, dequantize: {shift: -0.5}}")
    XCTAssertEqual(data.bins, 17)
    XCTAssertEqual(data.dequantization, Dequantization(bins: 17, transform: .shift(-0.5)))
    let (training, validation) = try data.makeSources()
    XCTAssertEqual(training.count, 1258)
    XCTAssertEqual(validation?.count, 270)
    XCTAssertEqual(training.exampleShape, [1, 8, 8])
    XCTAssertEqual(try spec("data: {source: digits}").dequantization, Dequantization(bins: 17), "plain (x + u)/bins")
  }

  func testImagesFromAnNpyFileAndFromAPNGFolder() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-images-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try NpyWriter.write([UInt8](repeating: 200, count: 3 * 4 * 4 * 3), shape: [3, 4, 4, 3],
                        to: directory.appendingPathComponent("train.npy").path)
    let folder = directory.appendingPathComponent("held")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for k in 0 ..< 2 {
      try PNG.write(Image(width: 4, height: 4, channels: 3, filledWith: .white), to: folder.appendingPathComponent("\(k).png"))
    }
    let data = try spec("""
      data:
        source: images
        train: \(directory.path)/train.npy
        validation: \(folder.path)
        bins: 32
        stored_bins: 256
        dequantize: {logit_alpha: 0.05}
      """)
    XCTAssertEqual(data.dequantization, Dequantization(bins: 32, transform: .logit(alpha: 0.05)))
    let (training, validation) = try data.makeSources()
    XCTAssertTrue(training is NpyImageSource)
    XCTAssertTrue(validation is PNGFolderSource)
    XCTAssertEqual(training.exampleShape, [3, 4, 4])
    XCTAssertEqual(validation?.count, 2)
    var out = [Float](repeating: 0, count: 48)
    try [1].withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try validation!.copyExamples(i, into: $0) } }
    XCTAssertEqual(Set(out), [31], "white 255 in 32 bins")
  }

  func testShiftAugmentationIsAnOptionalSection() throws {
    XCTAssertNil(try spec("data: {source: digits}").augmentation)
    XCTAssertEqual(try spec("data: {source: digits, augment: {shift: 1}}").augmentation, ShiftAugmentation(maxShift: 1))
    assertConfigError("data: {source: digits, augment: {shift: 0}}", "'data.augment.shift' must be ≥ 1")
    assertConfigError("data: {source: digits, augment: {}}", "data.augment.shift")
    assertConfigError("data: {source: toy, distribution: moons, augment: {shift: 1}}", "data.augment")
  }

  func testBadImageKeysAreNamed() {
    assertConfigError("data: {source: digits, dequantize: {shift: -0.5, logit_alpha: 0.05}}",
                      "'data.dequantize.logit_alpha' cannot be combined with shift")
    assertConfigError("data: {source: digits, dequantize: {logit_alpha: 0.5}}", "must be in (0, 0.5)")
    assertConfigError("data: {source: images, train: x.npy, bins: 300}", "'data.bins' must be in 2...256")
    assertConfigError("data: {source: images, train: x.npy, bins: 32, stored_bins: 100}", "'data.stored_bins' must be a multiple")
    assertConfigError("data: {source: digits, bins: 17}", "data.bins")
    assertConfigError("data: {source: images}", "missing required key 'data.train'")
  }
}
