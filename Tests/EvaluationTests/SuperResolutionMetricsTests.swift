import Evaluation
import Graphics
import XCTest
import _TestSupport

/// SR metrics on cases with known answers.
final class SuperResolutionMetricsTests: XCTestCase {
  func testPSNRIsCappedAndPooledOverTheMeanError() {
    XCTAssertEqual(PSNR.decibels(meanSquaredError: 0), 100)
    XCTAssertEqual(PSNR.decibels(meanSquaredError: 255 * 255), 0, accuracy: 1e-12)
    XCTAssertEqual(PSNR.decibels(meanSquaredError: 1e-12), 100)
    var summary = PSNR.Summary()
    summary.add(meanSquaredError: 0)
    summary.add(meanSquaredError: 255 * 255 / 100)  // 20 dB
    XCTAssertEqual(summary.mean, 60, accuracy: 1e-12)
    // Pooled: the mean MSE 255²/200 is 10·log10(200) dB.
    XCTAssertEqual(summary.pooled, 10 * log10(200.0), accuracy: 1e-12)
  }

  func testLumaIsMatlabsStudioSwingY() {
    let rgb = Image(width: 3, height: 1, channels: 3, pixels: [0, 0, 0, 255, 255, 255, 255, 0, 0])
    let y = Luma.plane(of: rgb)
    XCTAssertEqual(y[0], 16, accuracy: 1e-12)
    XCTAssertEqual(y[1], 235, accuracy: 1e-12)
    XCTAssertEqual(y[2], 16 + 65.481, accuracy: 1e-12)
    XCTAssertEqual(Luma.plane(of: Image(width: 1, height: 1, channels: 1, pixels: [77])), [77])
  }

  func testSSIMRefusesImagesSmallerThanItsWindow() {
    let small = Image(width: 10, height: 32, channels: 1, filledWith: .black)
    XCTAssertThrowsError(try SuperResolutionFidelity(prediction: small, reference: small)) {
      XCTAssertTrue("\($0)".contains("at least 11×11"), "\($0)")
    }
  }

  func testMismatchedImagesAreNamed() {
    let a = Image(width: 16, height: 16, channels: 3, filledWith: .black)
    let b = Image(width: 16, height: 16, channels: 1, filledWith: .black)
    XCTAssertThrowsError(try SuperResolutionFidelity(prediction: a, reference: b)) {
      XCTAssertEqual("\($0)", "the prediction is 16×16×3 but its reference is 16×16×1; compare images of one size and color type")
    }
  }

  func testScoresAverageOverImages() throws {
    let black = Image(width: 11, height: 11, channels: 3, filledWith: .black)
    var gray = black
    for i in gray.pixels.indices { gray.pixels[i] = 1 }
    var scores = SuperResolutionScores()
    scores.add(try SuperResolutionFidelity(prediction: black, reference: black))
    scores.add(try SuperResolutionFidelity(prediction: gray, reference: black))
    XCTAssertEqual(scores.count, 2)
    // An error of 1 level in every channel: MSE-RGB 1 (48.13 dB), MSE-Y (219/255)².
    XCTAssertEqual(scores.psnrRGB.mean, (100 + 10 * log10(255.0 * 255)) / 2, accuracy: 1e-9)
    XCTAssertEqual(scores.psnrRGB.pooled, 10 * log10(255.0 * 255 / 0.5), accuracy: 1e-9)
    XCTAssertEqual(scores.psnrY.pooled, 10 * log10(255.0 * 255 / (0.5 * pow(219.0 / 255, 2))), accuracy: 1e-9)
    let grayFidelity = try SuperResolutionFidelity(prediction: gray, reference: black)
    XCTAssertEqual(scores.ssimY, (1 + grayFidelity.lumaSSIM) / 2)
  }

  func testLowResolutionPSNRDegradesThePrediction() throws {
    var generator = SeededGenerator(seed: 12)
    let hr = Image(width: 16, height: 8, channels: 3, pixels: (0..<384).map { _ in UInt8.random(in: 0...255, using: &generator) })
    for degradation in Degradation.allCases {
      let lr = degradation.downscale(hr, by: 4)
      // The ground truth explains its own LR exactly.
      XCTAssertEqual(try LowResolutionConsistency.meanSquaredError(prediction: hr, lowResolution: lr,
                                                                   degradation: degradation, factor: 4), 0)
      var shifted = lr
      shifted.pixels = lr.pixels.map { $0 >= 128 ? $0 - 2 : $0 + 2 }
      let mse = try LowResolutionConsistency.meanSquaredError(prediction: hr, lowResolution: shifted,
                                                              degradation: degradation, factor: 4)
      XCTAssertEqual(mse, 4, "\(degradation)")
    }
    XCTAssertThrowsError(try LowResolutionConsistency.meanSquaredError(
      prediction: hr, lowResolution: Degradation.box.downscale(hr, by: 2), degradation: .box, factor: 4))
  }

  func testDiversityIsThePopulationStandardDeviationPerPixel() throws {
    let a = Image(width: 2, height: 1, channels: 1, pixels: [10, 50])
    let b = Image(width: 2, height: 1, channels: 1, pixels: [20, 50])
    // Pixel 0: values 10, 20 → σ = 5; pixel 1: σ = 0.
    XCTAssertEqual(try SampleDiversity.meanStandardDeviation([a, b]), 2.5)
    XCTAssertEqual(try SampleDiversity.meanStandardDeviation([a, a, a]), 0)
    XCTAssertThrowsError(try SampleDiversity.meanStandardDeviation([a]))
  }
}
