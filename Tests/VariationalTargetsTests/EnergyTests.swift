import Autodiff
import TensorCore
import VariationalTargets
import XCTest
import _TestSupport

/// The tape energies against the plain Float64 ones: values, gradients, and values by hand.
final class EnergyTests: XCTestCase {
  /// Points over every target's interesting region, including U2–U4's walls (|z₁| > 4).
  private func points(_ count: Int, seed: UInt64) -> [SIMD2<Double>] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in SIMD2(Double.random(in: -5.5...5.5, using: &rng), Double.random(in: -5...5, using: &rng)) }
  }

  private func tapeEnergies<S: TensorScalar>(_ energy: any Energy2D, _ points: [SIMD2<Double>], as _: S.Type) -> [S] {
    let tape = Tape<S>()
    let z = tape.input(Tensor(shape: [points.count, 2], scalars: points.flatMap { [S($0.x), S($0.y)] }))
    let u = energy.energy(z)
    XCTAssertEqual(u.shape, [points.count])
    return u.scalars
  }

  func testTapeEnergyEqualsPlainEnergy() {
    let zs = points(64, seed: 1)
    for target in VariationalTarget.allCases {
      let plain = zs.map { target.energy.energy($0) }
      for (k, (tape, exact)) in zip(tapeEnergies(target.energy, zs, as: Double.self), plain).enumerated() {
        XCTAssertEqual(tape, exact, accuracy: 1e-12 * max(1, abs(exact)), "\(target) Float64 at \(zs[k])")
      }
      for (k, (tape, exact)) in zip(tapeEnergies(target.energy, zs, as: Float.self), plain).enumerated() {
        XCTAssertEqual(Double(tape), exact, accuracy: 1e-5 * max(1, abs(exact)), "\(target) Float32 at \(zs[k])")
      }
    }
  }

  /// ∂ΣU/∂z from the tape against central differences of the plain Float64 energy.
  func testTapeGradientsMatchCentralDifferences() {
    let zs = points(32, seed: 2)
    let h = 1e-5
    for target in VariationalTarget.allCases {
      let tape = Tape<Double>()
      let z = tape.input(Tensor(shape: [zs.count, 2], scalars: zs.flatMap { [$0.x, $0.y] }), requiresGradient: true)
      tape.backward(from: target.energy.energy(z).sum())
      let gradient = Array(z.gradient!)
      for (k, point) in zs.enumerated() {
        for axis in 0..<2 {
          var step = SIMD2<Double>.zero
          step[axis] = h
          let numeric = (target.energy.energy(point + step) - target.energy.energy(point - step)) / (2 * h)
          XCTAssertEqual(gradient[2 * k + axis], numeric, accuracy: 1e-6 * max(1, abs(numeric)),
                         "\(target) ∂U/∂z\(axis + 1) at \(point)")
        }
      }
    }
  }

  /// Every target's tape energy through the shared gradient checker (inputs and parameters).
  func testGradientCheckerAgreesOnEveryTarget() {
    for target in VariationalTarget.allCases {
      let energy = target.energy
      let failures = checkGradients(GradientCase("\(target)", [.init([6, 2], in: -5...5)]) { _, x in energy.energy(x[0]) },
                                    seed: 3)
      XCTAssertEqual(failures, [])
    }
  }

  func testValuesComputedByHand() {
    // U2: w₁(0) = 0 and w₁(1) = sin(π/2) = 1, so U2 vanishes on the curve; at z₁ = 5 the wall
    // adds ½((5 − 4)/0.25)² = 8 and w₁(5) = sin(5π/2) = 1.
    XCTAssertEqual(RezendeEnergy.u2.energy([0, 0]), 0, accuracy: 1e-15)
    XCTAssertEqual(RezendeEnergy.u2.energy([1, 1]), 0, accuracy: 1e-15)
    XCTAssertEqual(RezendeEnergy.u2.energy([5, 1]), 8, accuracy: 1e-12)
    let a: Double = 1 / 0.4, b: Double = 2 / 0.6, c: Double = 3 / 0.35, d: Double = 1.5 / 0.4
    XCTAssertEqual(RezendeEnergy.u2.energy([1, 0]), 0.5 * a * a, accuracy: 1e-12)
    // U1 at (0, 2): on the ring; both z₁ bumps give e^{−½(2/0.6)²}, so U1 = ½(2/0.6)² − log 2.
    XCTAssertEqual(RezendeEnergy.u1.energy([0, 2]), 0.5 * b * b - log(2.0), accuracy: 1e-12)
    // U3 at (1, 1): w₁ = 1, w₂ = 3; the first Gaussian is at its peak, the second e^{−½(3/0.35)²}.
    XCTAssertEqual(RezendeEnergy.u3.energy([1, 1]), -log(1 + exp(-0.5 * c * c)), accuracy: 1e-15)
    // U4 at (1, −0.5): w₁ = 1 and w₃ = 3σ(0) = 1.5 put the second Gaussian at its peak.
    XCTAssertEqual(RezendeEnergy.u4.energy([1, -0.5]), -log(exp(-0.5 * d * d) + 1), accuracy: 1e-15)
    // A mixture at each mean: the other component is 25/(2σ²) away in the exponent.
    let mixture = GaussianMixtureEnergy([.init(weight: 2, mean: [0, 0], std: 1), .init(weight: 3, mean: [3, 4], std: 0.5)])
    XCTAssertEqual(mixture.energy([0, 0]), -log(2 + 3 * exp(-50.0)), accuracy: 1e-15)
    XCTAssertEqual(mixture.energy([3, 4]), -log(2 * exp(-12.5) + 3), accuracy: 1e-15)
  }
}
