import Autodiff
import Flows
import TensorCore
import XCTest
import _TestSupport

/// The logistic-mixture CDF coupling's bisection inverse, measured in Float64 and Float32 over
/// wide parameter ranges (log-scales down to the clamp, means and inputs far apart).
final class MixtureLogisticTests: XCTestCase {
  /// For one channel-mask coupling with a random conditioner: max |x − f⁻¹(f(x))|, the median of
  /// the same, and the residual max |f(f⁻¹(y)) − y| / (1 + |y|) in the output space.
  func roundTripError<S: TensorScalar>(_: S.Type, seed: UInt64) -> (max: Double, median: Double, residual: Double) {
    let store = ParameterStore<S>()
    let layer = ImageCoupling("c", channels: 2, mask: .channel, parity: 0, transform: .mixtureLogistic(components: 5),
                              network: .conv, width: 4, imageSize: (4, 4), parameters: store)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    // Perturbed weights make the conditioner's outputs (logits, means, log-scales) span several units.
    for i in store.values.indices { store.values[i] += S(Double.random(in: -0.5...0.5, using: &rng)) }
    let x = Tensor<S>(shape: [16, 2, 4, 4], scalars: (0..<512).map { _ in S(Double.random(in: -6...6, using: &rng)) })
    let tape = Tape<S>(parameters: store)
    let z = layer.forward(tape.input(x)).output
    XCTAssertTrue(z.value.allSatisfy(\.isFinite), "\(S.self): non-finite forward output")
    let back = layer.inverse(z).output
    let again = layer.forward(back).output
    let errors = zip(back.value, x.scalars).map { Swift.abs(Double($0) - Double($1)) }.sorted()
    let residual = zip(again.value, z.value).map { Swift.abs(Double($0) - Double($1)) / (1 + Swift.abs(Double($1))) }
    return (errors.last!, errors[errors.count / 2], residual.max()!)
  }

  /// In Float32 the x error is the output's rounding times dx/dy, which is large where the mixture
  /// is nearly flat (between sharp components), so the test bounds the output-space residual and
  /// prints the x errors it achieves.
  func testBisectionInverseError() {
    for (name, e) in [("Float64", (0..<3).map { roundTripError(Double.self, seed: 40 + $0) }),
                      ("Float32", (0..<3).map { roundTripError(Float.self, seed: 40 + $0) })] {
      let worst = e.map(\.max).max()!, median = e.map(\.median).max()!, residual = e.map(\.residual).max()!
      print("mixture-logistic inverse, \(name): max |x − f⁻¹(f(x))| = \(worst), median \(median), "
            + "max |f(f⁻¹(y)) − y|/(1 + |y|) = \(residual) (|x| ≤ 6, K = 5, 1536 entries)")
      if name == "Float64" {
        XCTAssertLessThan(worst, 1e-9)
      } else {
        XCTAssertLessThan(residual, 1e-5)
        XCTAssertLessThan(median, 1e-4)
      }
    }
  }

  /// The bracket holds the root for every target: the solved x reproduces σ⁻¹(F) = target.
  func testSolveMatchesTargetAtExtremes() {
    let components: [(Double, Double, Double)] = [(log(0.7), -3, -7), (log(0.2), 4, 1), (log(0.1), 0, 0.5)]
    for target in [-40.0, -5, -0.3, 0, 2, 12, 35] {
      let x = MixtureLogisticCDF.solve(target: target, components: 3) { components[$0] }
      let back = MixtureLogisticCDF.logitCDF(x, components: 3) { components[$0] }
      XCTAssertEqual(back, target, accuracy: 1e-7 * max(1, abs(target)), "target \(target) → x \(x)")
    }
  }
}
