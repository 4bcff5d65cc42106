import Datasets
import TensorCore
import XCTest

/// (N, H, W, C) uint8 images read as [C, H, W] integer levels, and every bad-file error.
final class NpyImageSourceTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  private func copy(_ source: NpyImageSource, _ indices: [Int]) throws -> [Float] {
    var out = [Float](repeating: .nan, count: indices.count * source.dimensions)
    try indices.withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try source.copyExamples(i, into: $0) } }
    return out
  }

  func testHWCIsTransposedToCHW() throws {
    let path = directory.file("images.npy")
    // Image 1 is 1×2 pixels of 3 channels: pixel 0 = (10, 11, 12), pixel 1 = (13, 14, 15).
    try NpyWriter.write([UInt8](arrayLiteral: 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15), shape: [2, 1, 2, 3], to: path)
    let source = try NpyImageSource(path: path, bins: 16)
    XCTAssertEqual(source.count, 2)
    XCTAssertEqual(source.exampleShape, [3, 1, 2])
    XCTAssertEqual(source.dimensions, 6)
    XCTAssertEqual(try copy(source, [1, 0]), [10, 13, 11, 14, 12, 15, 0, 3, 1, 4, 2, 5])
    assertDataFileError(path, contains: "image 2 is out of range 0..<2") { _ = try copy(source, [2]) }
  }

  func testReducingLevelsMergesEqualGroups() throws {
    let path = directory.file("images.npy")
    try NpyWriter.write([UInt8](arrayLiteral: 0, 7, 8, 255), shape: [1, 2, 2, 1], to: path)
    let source = try NpyImageSource(path: path, bins: 32, reducingFrom: 256)
    XCTAssertEqual(source.bins, 32)
    XCTAssertEqual(try copy(source, [0]), [0, 0, 1, 31])
    assertDataFileError(path, contains: "cannot reduce 256 stored levels to 17 bins") {
      _ = try NpyImageSource(path: path, bins: 17, reducingFrom: 256)
    }
  }

  func testLevelsAtOrAboveBinsAreRefused() throws {
    let path = directory.file("digits.npy")
    var pixels = [UInt8](repeating: 3, count: 3 * 4)
    pixels[9] = 16
    try NpyWriter.write(pixels, shape: [3, 2, 2, 1], to: path)
    XCTAssertEqual(try NpyImageSource(path: path, bins: 17).bins, 17)
    assertDataFileError(path, contains: "image 2 holds level 16 but only 0..<16 are allowed; pass the data's level count as bins") {
      _ = try NpyImageSource(path: path, bins: 16)
    }
    assertDataFileError(path, contains: "only 0..<8 are allowed; pass the level count the data was stored with as reducingFrom") {
      _ = try NpyImageSource(path: path, bins: 4, reducingFrom: 8)
    }
  }

  func testShapeAndDtypeErrorsNameTheFile() throws {
    let floats = directory.file("floats.npy")
    try NpyWriter.write([Float](repeating: 0, count: 4), shape: [1, 2, 2, 1], to: floats)
    assertDataFileError(floats, contains: "dtype '<f4' but images must be uint8 levels") {
      _ = try NpyImageSource(path: floats, bins: 256)
    }
    let gray = directory.file("gray.npy")
    try NpyWriter.write([UInt8](repeating: 0, count: 8), shape: [2, 2, 2], to: gray)
    assertDataFileError(gray, contains: "images must be 4-D (N, H, W, C); for one channel save x[..., None]") {
      _ = try NpyImageSource(path: gray, bins: 256)
    }
    let planar = directory.file("planar.npy")
    try NpyWriter.write([UInt8](repeating: 0, count: 3 * 8 * 8), shape: [1, 3, 8, 8], to: planar)
    assertDataFileError(planar, contains: "looks channels-first (N, C, H, W); save it channels-last with x.transpose(0, 2, 3, 1)") {
      _ = try NpyImageSource(path: planar, bins: 256)
    }
    let empty = directory.file("empty.npy")
    try NpyWriter.write([UInt8](), shape: [0, 2, 2, 1], to: empty)
    assertDataFileError(empty, contains: "with an empty axis") { _ = try NpyImageSource(path: empty, bins: 256) }
  }
}
