import Autodiff
import Datasets
import Flows
import Foundation
import Graphics
import Runs
import TensorCore
import XCTest

final class ImagePictureTests: XCTestCase {
  /// An actnorm on [1, 4, 4] images with a standard normal base: with zero parameters the
  /// identity, so a sample at temperature 0 is y' = 0 everywhere.
  private func identityImageModel() -> TrainableFlow {
    let store = ParameterStore<Float>()
    let model = FlowModel(flow: InvertibleFlowSequence([ActNorm("a", channels: 1, parameters: store)]),
                          base: StandardNormal(), eventShape: [1, 4, 4])
    return TrainableFlow(model: model, parameters: store)
  }

  func testSampleGridHasAPanelPerTemperatureAndTheModeAtZero() throws {
    let model = identityImageModel()
    let q = Dequantization(bins: 17, transform: .shift(-0.5))
    // y' = 0 → y = 0.5 → level ⌊8.5⌋ = 8 → intensity 8/16 → gray 128.
    let mode = SampleGrid.intensities(model, dequantization: q, count: 3, temperature: 0, seed: 1)
    XCTAssertEqual(mode, [Float](repeating: 0.5, count: 48))
    let hot = SampleGrid.intensities(model, dequantization: q, count: 3, temperature: 1, seed: 1)
    XCTAssertGreaterThan(Set(hot).count, 5, "unit-temperature samples vary")
    XCTAssertTrue(hot.allSatisfy { $0 >= 0 && $0 <= 1 && ($0 * 16).rounded() == $0 * 16 }, "discrete levels in [0, 1]")

    let picture = SampleGrid.image(model, dequantization: q, temperatures: [0, 1], count: 4, seed: 1)
    // Two panels of a 2×2 grid of 4×4 images enlarged 16× (64 px) with 2 px padding: 134 px each.
    XCTAssertEqual(picture.width, 12 + (134 + 12) * 2)
    let path = NSTemporaryDirectory() + "laminar-samples-\(getpid()).png"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SampleGrid.write(model, dequantization: q, count: 4, to: path)
    let decoded = try PNG.read(contentsOf: URL(fileURLWithPath: path))
    XCTAssertEqual(decoded.width, 12 + (134 + 12) * 4, "four default temperatures")
  }

  func testInterpolationStripRowsAndLevels() {
    let q = Dequantization(bins: 4)  // y' = y: level ⌊4y'⌋
    // 2 rows of 3 steps of 1×1×2 images: image k has both pixels at y' = (k mod 4)/4 + 0.1.
    let decoded = (0 ..< 6).flatMap { k in [Float](repeating: Float(k % 4) / 4 + 0.1, count: 2) }
    let strip = InterpolationStrip.image(decoded: decoded, steps: 3, channels: 1, height: 1, width: 2,
                                         dequantization: q, scale: 1)
    // A 3 × 2 grid of 2×1 cells with 2 px padding.
    XCTAssertEqual(strip.width, 3 * 2 + 4 * 2)
    XCTAssertEqual(strip.height, 2 * 1 + 3 * 2)
    let levels = (0 ..< 6).map { k in strip.color(x: 2 + (k % 3) * 4, y: 2 + (k / 3) * 3).red }
    XCTAssertEqual(levels, [0, 85, 170, 255, 0, 85], "level/3 of 0, 1, 2, 3, 0, 1")
  }

  func testInterpolationStripFromTheModelStartsAndEndsAtTheDataImages() throws {
    // With the identity model the latent path is the straight line between the dequantized
    // images, so the strip's end columns are the two images themselves.
    let model = identityImageModel()
    let q = Dequantization(bins: 17, transform: .shift(-0.5))
    let levels: [Float] = (0..<64).map { Float(($0 * 7) % 17) }   // 4 images of 1×4×4
    let source = InMemoryExamples(values: levels, exampleShape: [1, 4, 4])
    let path = NSTemporaryDirectory() + "laminar-interpolation-\(getpid()).png"
    defer { try? FileManager.default.removeItem(atPath: path) }
    XCTAssertNotNil(try InterpolationStrip.write(model, source: source, dequantization: q,
                                               seed: 3, pairs: 2, steps: 5, to: path))
    let picture = try PNG.read(contentsOf: URL(fileURLWithPath: path))
    let expected = InterpolationStrip.image(
      decoded: interpolatedIdentityPath(levels, pairs: 2, steps: 5, q: q, seed: 3), steps: 5, channels: 1,
      height: 4, width: 4, dequantization: q)
    XCTAssertEqual(picture.converted(toChannels: expected.channels).pixels, expected.pixels)
  }

  /// The dequantized images (evaluation noise) and the straight lines between consecutive pairs.
  private func interpolatedIdentityPath(_ levels: [Float], pairs: Int, steps: Int, q: Dequantization,
                                        seed: UInt64) -> [Float] {
    var y = levels
    var logDets = [Double](repeating: 0, count: 2 * pairs)
    let examples = Array(0..<(2 * pairs))
    examples.withUnsafeBufferPointer { idx in
      y.withUnsafeMutableBufferPointer { v in
        logDets.withUnsafeMutableBufferPointer {
          q.apply(to: v, examples: idx, noise: Dequantization.evaluationNoise(seed: seed), logDeterminants: $0)
        }
      }
    }
    let size = 16
    return (0..<pairs).flatMap { p in
      (0..<steps).flatMap { k -> [Float] in
        let t = Float(k) / Float(steps - 1)
        return (0..<size).map { j in (1 - t) * y[2 * p * size + j] + t * y[(2 * p + 1) * size + j] }
      }
    }
  }
}
