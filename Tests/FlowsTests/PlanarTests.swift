import Autodiff
import Flows
import TensorCore
import Foundation
import XCTest
import _TestSupport

/// Planar flows stay invertible for any u and w (Rezende & Mohamed 2015, appendix A.1).
final class PlanarTests: XCTestCase {
  /// (u, w, b) chosen so that wᵀu ≤ −1 (the unconstrained map would fold over), plus benign ones.
  let adversarial: [(u: [Double], w: [Double], b: Double)] = [
    ([-3, 2, -1], [3, -2, 1], 0),               // u = −w, wᵀu = −14
    ([-30, 20, -10], [3, -2, 1], 0.5),          // wᵀu = −140
    ([-3000, 2000, -1000], [3, -2, 1], -1),     // wᵀu = −14 000: softplus underflows to 0
    ([-2, 0, 0], [0.5, 0, 0], 0),               // wᵀu = −1 exactly
    ([1e-3, -4, 2], [1e-3, 1e-3, -1e-3], 0),    // tiny w
    ([5, 0, 1], [0, 2, 0], 0.3),                // u ⟂ w
    ([4, 4, 4], [1, 1, 1], 0),                  // wᵀu = 12, left alone (softplus(12) − 1 ≈ 11)
  ]

  func planar(_ c: (u: [Double], w: [Double], b: Double)) -> (Planar, ParameterStore<Double>) {
    let store = ParameterStore<Double>()
    let p = Planar("p", dimension: 3, parameters: store)
    _ = store.values(of: p.u).update(fromContentsOf: c.u)
    _ = store.values(of: p.w).update(fromContentsOf: c.w)
    store.values(of: p.bias)[0] = c.b
    return (p, store)
  }

  func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

  func testConstrainedDirectionKeepsWDotUAboveMinusOne() {
    for (i, c) in adversarial.enumerated() {
      let (p, store) = planar(c)
      let tape = Tape<Double>(parameters: store)
      let uHat = Array(p.constrainedDirection(on: tape).value)
      let wu = dot(c.w, uHat), raw = dot(c.w, c.u)
      // Tolerances: the rounding of wᵀu + (m − wᵀu) at the size of wᵀu.
      let tolerance = 1e-12 * max(1, abs(raw))
      XCTAssertGreaterThanOrEqual(wu, -1 - tolerance, "case \(i)")
      // ûᵀw = m(wᵀu) = softplus(wᵀu) − 1, and û moves u only along w.
      let softplus = max(raw, 0) + Foundation.log(1 + Foundation.exp(-abs(raw)))
      XCTAssertEqual(wu, softplus - 1, accuracy: tolerance, "case \(i)")
      let shift = zip(uHat, c.u).map { $0 - $1 }
      let along = dot(shift, c.w) / dot(c.w, c.w)
      for k in 0..<3 { XCTAssertEqual(shift[k], along * c.w[k], accuracy: 1e-9 * max(1, abs(shift[k])), "case \(i)") }
    }
  }

  /// Along the direction of w the map is t ↦ wᵀz + ûᵀw · tanh(wᵀz + b) (+ const), strictly
  /// increasing iff ûᵀw > −1; the determinant is positive and matches 1 + h′ · wᵀû computed from
  /// the explicit û.
  func testMapIsMonotoneAlongWAndDeterminantPositive() {
    for (i, c) in adversarial.enumerated() {
      let (p, store) = planar(c)
      let norm = dot(c.w, c.w).squareRoot()
      let base: [Double] = [0.2, -0.1, 0.4]
      let steps = 401
      let z = (0..<steps).flatMap { s -> [Double] in
        let t = -4 / norm + 8 / norm * Double(s) / Double(steps - 1)
        return (0..<3).map { base[$0] + t * c.w[$0] / norm }
      }
      let tape = Tape<Double>(parameters: store)
      let r = p.transform(tape.input(Tensor(shape: [steps, 3], scalars: z)))
      let x = Array(r.output.value)
      let projected = (0..<steps).map { dot(Array(x[(3 * $0)..<(3 * $0 + 3)]), c.w) }
      for s in 1..<steps {
        XCTAssertGreaterThan(projected[s], projected[s - 1], "case \(i): folds at step \(s)")
      }
      let uHat = Array(p.constrainedDirection(on: tape).value)
      for s in 0..<steps {
        let pre = dot(Array(z[(3 * s)..<(3 * s + 3)]), c.w) + c.b
        let h = Foundation.tanh(pre)
        let expected = 1 + (1 - h * h) * dot(c.w, uHat)
        XCTAssertTrue(r.logAbsDet.value[s].isFinite, "case \(i) step \(s)")
        if expected > 1e-6 {
          XCTAssertEqual(r.logAbsDet.value[s], Foundation.log(expected), accuracy: 1e-8, "case \(i) step \(s)")
        }
      }
    }
  }

  /// Near wᵀz + b = 0 with wᵀu = −20 the determinant is ≈ softplus(−20) + h² ≈ 2·10⁻⁹: the form
  /// 1 + h′·(softplus − 1) rounds that to 0 in Float32, the layer's form keeps it.
  func testFloat32DeterminantNearZeroStaysFinite() {
    let z: [Double] = [1e-5, 0.3, -0.2]
    func logAbsDet<S: TensorScalar>(_: S.Type) -> Double {
      let store = ParameterStore<S>()
      let p = Planar("p", dimension: 3, parameters: store)
      _ = store.values(of: p.u).update(fromContentsOf: [-20, 0, 0])
      _ = store.values(of: p.w).update(fromContentsOf: [1, 0, 0])
      let tape = Tape<S>(parameters: store)
      return Double(p.transform(tape.input(Tensor(shape: [1, 3], scalars: z.map { S($0) }))).logAbsDet.value[0])
    }
    let reference = logAbsDet(Double.self)
    XCTAssertEqual(reference, Foundation.log(1e-10 + Foundation.log(1 + Foundation.exp(-20.0))), accuracy: 1e-6)
    XCTAssertEqual(logAbsDet(Float.self), reference, accuracy: 1e-4)
  }

  func testPlanarIsNotADensityDirectionLayer() {
    let p: Any = Planar("p", dimension: 2, parameters: ParameterStore<Double>())
    XCTAssertFalse(p is any FlowLayer)
    XCTAssertTrue(p is any GenerativeTransform)
  }

  /// An IAF used for sampling goes through the MAF's one-pass forward.
  func testGenerativeDirectionUsesTheInverse() {
    let store = ParameterStore<Double>()
    let iaf = MaskedAutoregressiveFlow.inverseAutoregressive("i", dimension: 3, hidden: [4], parameters: store)
    store.initialize(seed: 8)
    var rng = SeededGenerator(seed: 8)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.3...0.3, using: &rng) }
    let z = Tensor(shape: [2, 3], scalars: (0..<6).map { _ in Double.random(in: -1...1, using: &rng) })
    let tape = Tape<Double>(parameters: store)
    let viaAdapter = GenerativeDirection(iaf).transform(tape.input(z))
    let direct = iaf.layer.forward(tape.input(z))
    XCTAssertEqual(Array(viaAdapter.output.value), Array(direct.output.value))
    XCTAssertEqual(Array(viaAdapter.logAbsDet.value), Array(direct.logAbsDet.value))
  }
}
