import Evaluation
import XCTest

final class LikelihoodUnitsTests: XCTestCase {
  func testBitsPerDimensionByHand() {
    // A uniform density on [0, 1)^D has NLL_y = 0: 8-bit data then costs exactly 8 bits/dim.
    XCTAssertEqual(LikelihoodUnits.bitsPerDimension(nll: 0, dimensions: 3072, bins: 256), 8, accuracy: 1e-12)
    // D = 3, 4 bins, NLL_y = 3 ln 2: (3 ln 2 + 3 ln 4) / (3 ln 2) = 1 + 2 = 3.
    XCTAssertEqual(LikelihoodUnits.bitsPerDimension(nll: 3 * log(2.0), dimensions: 3, bins: 4), 3, accuracy: 1e-15)
    // Continuous data (bins 1): 6 nats over D = 3 is 2 nats/dim = 2/ln 2 bits/dim.
    XCTAssertEqual(LikelihoodUnits.natsPerDimension(nll: 6, dimensions: 3), 2)
    XCTAssertEqual(LikelihoodUnits.bitsPerDimension(nll: 6, dimensions: 3, bins: 1), 2 / log(2.0), accuracy: 1e-15)
    // Digits (D = 64, 17 levels), uniform over the levels: log₂ 17 bits/dim.
    XCTAssertEqual(LikelihoodUnits.dequantizationNats(dimensions: 64, bins: 17), 64 * log(17.0), accuracy: 1e-12)
    XCTAssertEqual(LikelihoodUnits.bitsPerDimension(nll: 0, dimensions: 64, bins: 17), log2(17.0), accuracy: 1e-14)
  }

  func testInverseRoundTrips() {
    for (nll, d, bins) in [(-120.5, 64, 17), (3.25, 2, 1), (5000.0, 3072, 256)] {
      let bpd = LikelihoodUnits.bitsPerDimension(nll: nll, dimensions: d, bins: bins)
      XCTAssertEqual(LikelihoodUnits.nll(bitsPerDimension: bpd, dimensions: d, bins: bins), nll, accuracy: 1e-9 * max(1, abs(nll)))
    }
  }
}
