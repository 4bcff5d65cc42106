import Datasets
import Foundation
import Graphics
import TensorCore
import XCTest
import _TestSupport

/// HR/LR pairs from `.npy` files and from random crops of a photo folder.
final class SuperResolutionDataTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  private func copy(_ source: any ExampleSource, _ indices: [Int], draw: ExampleDraw,
                    conditions: Bool = false) throws -> [Float] {
    let shape = conditions ? source.conditionShape! : source.exampleShape
    var out = [Float](repeating: -1, count: indices.count * shape.count)
    try indices.withUnsafeBufferPointer { i in
      try out.withUnsafeMutableBufferPointer {
        conditions ? try source.copyConditions(i, draw: draw, into: $0) : try source.copyExamples(i, draw: draw, into: $0)
      }
    }
    return out
  }

  private func randomBytes(_ generator: inout SeededGenerator, _ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
  }

  /// [C, H, W] levels of `image`, as the image sources yield them.
  private func planar(_ image: Image) -> [Float] {
    (0..<image.channels).flatMap { c in stride(from: c, to: image.pixels.count, by: image.channels).map { Float(image.pixels[$0]) } }
  }

  func testStoredPairsYieldHRExamplesWithTheirLRConditions() throws {
    var generator = SeededGenerator(seed: 21)
    let hr = (0..<3).map { _ in Image(width: 8, height: 8, channels: 3, pixels: randomBytes(&generator, 192)) }
    let lr = hr.map { Degradation.bicubic.downscale($0, by: 4) }
    try NpyWriter.write(hr.flatMap { $0.pixels }, shape: [3, 8, 8, 3], to: directory.file("hr.npy"))
    try NpyWriter.write(lr.flatMap { $0.pixels }, shape: [3, 2, 2, 3], to: directory.file("lr.npy"))
    let pairs = try ConditionedExamples.superResolution(
      highResolution: NpyImageSource(path: directory.file("hr.npy"), bins: 256),
      lowResolution: NpyImageSource(path: directory.file("lr.npy"), bins: 256), names: ("hr.npy", "lr.npy"))
    XCTAssertEqual(pairs.count, 3)
    XCTAssertEqual(pairs.exampleShape, [3, 8, 8])
    XCTAssertEqual(pairs.conditionShape, [3, 2, 2])
    let draw = ExampleDraw.training(seed: 1, step: 5)
    XCTAssertEqual(try copy(pairs, [2, 0], draw: draw), planar(hr[2]) + planar(hr[0]))
    XCTAssertEqual(try copy(pairs, [2, 0], draw: draw, conditions: true), planar(lr[2]) + planar(lr[0]))
    XCTAssertEqual(try NpyImageSource(path: directory.file("lr.npy"), bins: 256).image(at: 1), lr[1])
  }

  func testStoredPairsRefuseMismatchedSizesAndChannels() throws {
    try NpyWriter.write([UInt8](repeating: 0, count: 2 * 64 * 3), shape: [2, 8, 8, 3], to: directory.file("hr.npy"))
    try NpyWriter.write([UInt8](repeating: 0, count: 2 * 12), shape: [2, 3, 4, 1], to: directory.file("gray.npy"))
    try NpyWriter.write([UInt8](repeating: 0, count: 2 * 36), shape: [2, 3, 4, 3], to: directory.file("odd.npy"))
    let hr = try NpyImageSource(path: directory.file("hr.npy"), bins: 256)
    assertDataFileError("gray.npy", contains: "1-channel LR images but hr.npy has 3-channel") {
      _ = try ConditionedExamples.superResolution(
        highResolution: hr, lowResolution: NpyImageSource(path: directory.file("gray.npy"), bins: 256),
        names: ("hr.npy", "gray.npy"))
    }
    assertDataFileError("odd.npy", contains: "one integer factor ≥ 2 of the LR sides") {
      _ = try ConditionedExamples.superResolution(
        highResolution: hr, lowResolution: NpyImageSource(path: directory.file("odd.npy"), bins: 256),
        names: ("hr.npy", "odd.npy"))
    }
  }

  /// Two photos of different sizes: a 40×24 RGB and a 16×16 one.
  private func writePhotos() throws -> [Image] {
    var generator = SeededGenerator(seed: 22)
    let photos = [Image(width: 40, height: 24, channels: 3, pixels: randomBytes(&generator, 40 * 24 * 3)),
                  Image(width: 16, height: 16, channels: 3, pixels: randomBytes(&generator, 16 * 16 * 3))]
    for (k, photo) in photos.enumerated() {
      try PNG.write(photo, to: URL(fileURLWithPath: directory.file("photo\(k).png")))
    }
    return photos
  }

  /// Every flip of every 16×16 window of `photo`, to find a crop in.
  private func windows(of photo: Image, side: Int, flips: Bool) -> [[Float]] {
    var all: [[Float]] = []
    for y in 0...(photo.height - side) {
      for x in 0...(photo.width - side) {
        let window = photo.cropped(x: x, y: y, width: side, height: side)
        for h in flips ? [false, true] : [false] {
          for v in flips ? [false, true] : [false] { all.append(planar(window.flipped(horizontally: h, vertically: v))) }
        }
      }
    }
    return all
  }

  func testPhotoCropsAreWindowsOfTheirPhotoWithTheLRMadeFromThem() throws {
    let photos = try writePhotos()
    for degradation in Degradation.allCases {
      let source = try PhotoCropSource(directory: directory.path, crop: 16, scale: 4, degradation: degradation,
                                       cropsPerImage: 3)
      XCTAssertEqual(source.count, 6)
      XCTAssertEqual(source.exampleShape, [3, 16, 16])
      XCTAssertEqual(source.conditionShape, [3, 4, 4])
      for draw in [ExampleDraw.training(seed: 3, step: 7), .evaluation(seed: 3)] {
        let hr = try copy(source, Array(0..<6), draw: draw)
        let lr = try copy(source, Array(0..<6), draw: draw, conditions: true)
        for i in 0..<6 {
          let crop = Array(hr[(i * 768)..<((i + 1) * 768)])
          XCTAssertTrue(windows(of: photos[i / 3], side: 16, flips: draw.step != nil).contains(crop), "example \(i)")
          let window = try source.window(i, draw: draw)
          XCTAssertEqual(planar(window), crop)
          XCTAssertEqual(Array(lr[(i * 48)..<((i + 1) * 48)]), planar(degradation.downscale(window, by: 4)))
        }
      }
    }
  }

  func testPhotoCropsAreKeyedByStepAndExampleNotByShard() throws {
    _ = try writePhotos()
    let source = try PhotoCropSource(directory: directory.path, crop: 8, scale: 2, degradation: .bicubic, cropsPerImage: 4)
    let step3 = ExampleDraw.training(seed: 9, step: 3)
    // One rank copying examples 0…7 sees what two ranks copying the even and odd ones see.
    let whole = try copy(source, Array(0..<8), draw: step3)
    let even = try copy(source, [0, 2, 4, 6], draw: step3), odd = try copy(source, [1, 3, 5, 7], draw: step3)
    for k in 0..<8 {
      let part = k % 2 == 0 ? even : odd
      XCTAssertEqual(Array(whole[(k * 192)..<((k + 1) * 192)]), Array(part[((k / 2) * 192)..<((k / 2 + 1) * 192)]))
    }
    XCTAssertEqual(try copy(source, Array(0..<8), draw: step3), whole, "a draw is a pure function of its key")
    XCTAssertNotEqual(try copy(source, Array(0..<8), draw: .training(seed: 9, step: 4)), whole, "a new step, new crops")
    XCTAssertNotEqual(try copy(source, Array(0..<8), draw: .training(seed: 10, step: 3)), whole, "a new seed, new crops")
    XCTAssertEqual(try copy(source, [5], draw: .evaluation(seed: 0)), try copy(source, [5], draw: .evaluation(seed: 0)))
  }

  func testPhotoFolderErrorsNameTheFileAndTheFix() throws {
    _ = try writePhotos()
    assertDataFileError(directory.path, contains: "'photo1.png' is 16×16, smaller than the 24×24 crop") {
      _ = try PhotoCropSource(directory: directory.path, crop: 24, scale: 4, degradation: .box)
    }
    assertDataFileError(directory.path, contains: "not divisible by the scale factor 4") {
      _ = try PhotoCropSource(directory: directory.path, crop: 10, scale: 4, degradation: .box)
    }
  }
}
