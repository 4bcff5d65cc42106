import VariationalTargets
import XCTest

/// Grid integration of log Z against closed forms, and its convergence under refinement.
final class LogPartitionTests: XCTestCase {
  func testMixtureMatchesItsClosedForm() {
    // Total weight 5; with one shared σ the closed form is log(5 · 2πσ²).
    let shared = GaussianMixtureEnergy([
      .init(weight: 1, mean: [-3, 0], std: 0.5), .init(weight: 4, mean: [2, 1], std: 0.5),
    ])
    XCTAssertEqual(shared.exactLogPartition!, log(5 * 2 * Double.pi * 0.25), accuracy: 1e-15)
    for mixture in [shared, .standard] {
      let grid = mixture.gridLogPartition(resolution: 256)
      XCTAssertEqual(grid, mixture.exactLogPartition!, accuracy: 1e-4, "box \(mixture.integrationBox)")
    }
  }

  /// U2–U4 on their walled window have a closed form (see `RezendeEnergy`); the grid must find it.
  func testWalledEnergiesMatchTheirClosedForms() {
    for energy in [RezendeEnergy.u2, .u3, .u4] {
      let grid = energy.gridLogPartition(resolution: 256)
      XCTAssertEqual(grid, energy.exactLogPartition!, accuracy: 1e-4, "\(energy) on \(energy.integrationBox)")
    }
    XCTAssertNil(RezendeEnergy.u1.exactLogPartition)
  }

  func testRefinementChangesLogZByLessThan1e3() {
    for energy in RezendeEnergy.allCases {
      let coarse = energy.gridLogPartition(resolution: 200)
      let fine = energy.gridLogPartition(resolution: 400)
      print("\(energy) log Z on \(energy.integrationBox): \(coarse) (200²), \(fine) (400²), change \(fine - coarse)")
      XCTAssertLessThan(abs(fine - coarse), 1e-3, "\(energy)")
    }
  }

  /// A larger box must not change log Z: the default box holds all the mass.
  func testWidenedBoxAgrees() {
    for energy in RezendeEnergy.allCases {
      let box = energy.integrationBox
      let wide = IntegrationBox(x: box.x.lowerBound - 2 ... box.x.upperBound + 2,
                                y: box.y.lowerBound - 2 ... box.y.upperBound + 2)
      // Same cell size: the box grows by 4 units in each direction.
      let n = 200
      let widerN = Int((Double(n) * (box.x.upperBound - box.x.lowerBound + 4) / (box.x.upperBound - box.x.lowerBound)).rounded())
      XCTAssertEqual(GridIntegration.logPartition(of: energy, box: wide, resolution: widerN),
                     energy.gridLogPartition(resolution: n), accuracy: 1e-3, "\(energy)")
    }
  }

  func testReferenceLogPartitionUsesTheClosedFormWhenThereIsOne() {
    XCTAssertEqual(VariationalTarget.mixture.referenceLogPartition, GaussianMixtureEnergy.standard.exactLogPartition!)
    XCTAssertEqual(VariationalTarget.u3.referenceLogPartition, RezendeEnergy.u3.exactLogPartition!)
    XCTAssertEqual(VariationalTarget.allCases.map(\.rawValue), ["u1", "u2", "u3", "u4", "mixture"])
  }
}
