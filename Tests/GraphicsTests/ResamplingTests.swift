import Graphics
import XCTest
import _TestSupport

/// Resampling properties that need no reference implementation (Pillow's cross-check is in
/// `ResamplingPillowTests`).
final class ResamplingTests: XCTestCase {
  func testBlockMeanRoundsTheExactMeanHalfUp() {
    // 2×2 blocks with sums 11 (2.75 → 3), 1 (0.25 → 0), 5 (1.25 → 1), 6 (1.5 → 2, half up).
    let image = Image(width: 8, height: 2, channels: 1, pixels: [1, 2, 0, 0, 1, 1, 1, 2,
                                                                 3, 5, 1, 0, 1, 2, 1, 2])
    XCTAssertEqual(image.blockMeanDownscaled(by: 2).pixels, [3, 0, 1, 2])
    XCTAssertEqual(Degradation.box.downscale(image, by: 2), image.blockMeanDownscaled(by: 2))
  }

  func testBlockMeanKeepsChannelsApart() {
    let rgb = Image(width: 2, height: 2, channels: 3, pixels: [10, 0, 255, 20, 0, 255, 30, 1, 255, 40, 1, 255])
    XCTAssertEqual(rgb.blockMeanDownscaled(by: 2).pixels, [25, 1, 255])
  }

  func testFloatBoxDownscaleIsTheUnroundedMeanPerPlane() {
    // Two 2×4 planes: blocks of plane 0 average 1.5 and 5.5, of plane 1 10 and 20.
    let planes: [Float] = [1, 2, 5, 6, 1, 2, 5, 6, 10, 10, 20, 20, 10, 10, 20, 20]
    XCTAssertEqual(Degradation.box.downscale(planar: planes, channels: 2, height: 2, width: 4, by: 2), [1.5, 5.5, 10, 20])
  }

  func testConstantImagesStayConstantDownAndUp() {
    for (w, h, newW, newH) in [(32, 32, 8, 8), (8, 8, 32, 32), (37, 23, 10, 7)] {
      let image = Image(width: w, height: h, channels: 3, filledWith: Color(red: 200, green: 0, blue: 255))
      let resized = image.resizedBicubic(width: newW, height: newH)
      XCTAssertEqual(resized, Image(width: newW, height: newH, channels: 3, filledWith: Color(red: 200, green: 0, blue: 255)),
                     "\(w)×\(h) → \(newW)×\(newH)")
    }
  }

  func testSameSizeIsTheIdentity() {
    var generator = SeededGenerator(seed: 3)
    let image = Image(width: 9, height: 5, channels: 3, pixels: generator.bytes(135))
    XCTAssertEqual(image.resizedBicubic(width: 9, height: 5), image)
  }

  func testPlanarFloatResizeEqualsEachPlaneResizedAlone() {
    var generator = SeededGenerator(seed: 5)
    let planes = (0..<(3 * 12 * 10)).map { _ in Float.random(in: 0...1, using: &generator) }
    let resized = Resampling.bicubic(planar: planes, channels: 3, height: 12, width: 10, toHeight: 3, width: 5)
    for c in 0..<3 {
      let alone = Resampling.bicubic(Array(planes[(c * 120)..<((c + 1) * 120)]), height: 12, width: 10, channels: 1,
                                     toHeight: 3, width: 5)
      XCTAssertEqual(Array(resized[(c * 15)..<((c + 1) * 15)]), alone, "plane \(c)")
    }
    XCTAssertEqual(Degradation.bicubic.downscale(planar: planes, channels: 3, height: 12, width: 10, by: 2),
                   Resampling.bicubic(planar: planes, channels: 3, height: 12, width: 10, toHeight: 6, width: 5))
  }

  func testDegradationNamesSidesThatDoNotDivide() {
    XCTAssertNil(Degradation.problem(factor: 4, height: 32, width: 16))
    XCTAssertEqual(Degradation.problem(factor: 4, height: 30, width: 32),
                   "32×30 is not divisible by the scale factor 4; use a crop size that is a multiple of 4")
  }
}
