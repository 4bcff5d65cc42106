import Graphics
import XCTest

/// The plain bicubic upscale behind super-resolution's baseline panel.
final class BicubicTests: XCTestCase {
  func testConstantStaysConstantAndFactorOneIsTheIdentity() {
    let flat = Image(width: 3, height: 2, channels: 3, pixels: [UInt8](repeating: 77, count: 18))
    let up = flat.bicubicUpscaled(by: 4)
    XCTAssertEqual(up.width, 12)
    XCTAssertEqual(up.height, 8)
    XCTAssertTrue(up.pixels.allSatisfy { $0 == 77 })
    XCTAssertEqual(flat.bicubicUpscaled(by: 1), flat)
  }

  /// Keys' cubic reproduces linear functions exactly, so away from the clamped edges a ramp
  /// upscales to the ramp sampled at the output pixel centres.
  func testLinearRampIsReproducedAwayFromTheEdges() {
    let ramp = Image(width: 8, height: 1, channels: 1, pixels: (0..<8).map { UInt8(10 + 20 * $0) })
    let up = ramp.bicubicUpscaled(by: 2)
    for X in 4..<12 {
      let u = (Double(X) + 0.5) / 2 - 0.5
      XCTAssertEqual(Double(up.pixels[X]), (10 + 20 * u).rounded(), accuracy: 0.5, "pixel \(X)")
    }
  }
}
