import Collectives
import Foundation
import Variational
import VariationalTargets
import XCTest
import _TestSupport

/// The log-Z estimates from given log weights, and the sample histogram, on 1 and 2 ranks.
final class EstimateTests: XCTestCase {
  /// Weights 1 and 3: ELBO = (log 1 + log 3)/2, Ẑ = 2, ESS = 4²/(1 + 9) = 1.6; shifted by 1000
  /// (e¹⁰⁰⁰ overflows Float64) the estimates shift by exactly 1000 and the ESS is unchanged.
  func testClosedFormAndNoOverflow() throws {
    for shift in [0.0, 1000, -1000] {
      let e = try VariationalEstimate.combining(localLogWeights: [shift, shift + log(3)],
                                                communicator: LocalCommunicator())
      XCTAssertEqual(e.samples, 2)
      XCTAssertEqual(e.elbo, shift + log(3) / 2, accuracy: 1e-12)
      XCTAssertEqual(e.logPartition, shift + log(2), accuracy: 1e-12)
      XCTAssertEqual(e.effectiveSampleSize, 1.6, accuracy: 1e-12)
    }
  }

  /// Split unevenly over 2 ranks (the global maximum sits on rank 1), the combination equals the
  /// single-rank one.
  func testTwoRanksCombineLikeOne() throws {
    let weights = [-3.0, 700, 2.5, 705, -1, 0.25, 690]
    let one = try VariationalEstimate.combining(localLogWeights: weights, communicator: LocalCommunicator())
    let two = try ThreadedGroup.run(size: 2) { communicator in
      try VariationalEstimate.combining(localLogWeights: communicator.rank == 0 ? Array(weights[0..<2]) : Array(weights[2...]),
                                        communicator: communicator)
    }
    XCTAssertEqual(two[0], two[1])
    XCTAssertEqual(two[0].samples, 7)
    XCTAssertEqual(two[0].elbo, one.elbo, accuracy: 1e-12)
    XCTAssertEqual(two[0].logPartition, one.logPartition, accuracy: 1e-12)
    XCTAssertEqual(two[0].effectiveSampleSize, one.effectiveSampleSize, accuracy: 1e-12)
    XCTAssertEqual(one.logPartition, 705 + log((1 + exp(-5) + exp(-15)) / 7), accuracy: 1e-12)
  }

  func testHistogramBinsAndDensity() throws {
    var h = SampleHistogram(box: IntegrationBox(x: 0...2, y: -1...1), bins: 2)
    // (0.5, −0.5) bottom-left, (1.5, 0.5) top-right twice, one outside.
    let points: [Double] = [0.5, -0.5, 1.5, 0.5, 1.9, 0.9, 3, 0]
    points.withUnsafeBufferPointer { h.add(points: $0) }
    XCTAssertEqual(h.counts, [1, 0, 0, 2])
    XCTAssertEqual(h.total, 4)
    // Cell area 1: density = count / 4; the mass outside the box is missing.
    XCTAssertEqual(h.density, [0.25, 0, 0, 0.5])
    let two = try ThreadedGroup.run(size: 2) { [h] communicator in
      var copy = h
      try copy.allReduce(communicator)
      return copy
    }
    XCTAssertEqual(two[0].counts, [2, 0, 0, 4])
    XCTAssertEqual(two[0].total, 8)
    XCTAssertEqual(two[0].density, h.density)
  }
}
