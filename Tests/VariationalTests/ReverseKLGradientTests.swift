import Autodiff
import Collectives
import Foundation
import Models
import TensorCore
import Variational
import VariationalTargets
import XCTest
import _TestSupport

/// The reverse-KL loss: its value against a hand-written planar flow, and its parameter
/// gradient against central differences in Float64.
final class ReverseKLGradientTests: XCTestCase {
  let batch = 6
  let beta = 0.7
  let noise = LatentNoise(seed: 11)

  /// A Float64 flow whose parameters are all moved off their initial values (IAF output layers
  /// start at zero, which would leave most of the network without gradient).
  func flow(_ spec: VariationalFlowSpec, seed: UInt64) -> (ReverseKL, ParameterStore<Double>) {
    let store = ParameterStore<Double>()
    let flow = VariationalFlow(spec, parameters: store)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.5...0.5, using: &rng) }
    return (ReverseKL(flow: flow, energy: RezendeEnergy.u1), store)
  }

  func loss(_ objective: ReverseKL, _ store: ParameterStore<Double>, shard: BatchShard) -> Double {
    let tape = Tape<Double>(parameters: store)
    return withExtendedLifetime(tape) {
      objective.loss(on: tape, noise: noise.training(step: 3), shard: shard, beta: beta).loss.scalars[0]
    }
  }

  /// ∂loss/∂θ by reverse mode against (L(θ + h) − L(θ − h)) / 2h for every parameter.
  func assertGradientMatchesCentralDifferences(_ spec: VariationalFlowSpec, seed: UInt64) {
    let (objective, store) = flow(spec, seed: seed)
    let tape = Tape<Double>(parameters: store)
    store.zeroGradients()
    withExtendedLifetime(tape) {
      let l = objective.loss(on: tape, noise: noise.training(step: 3), shard: .whole(batch), beta: beta).loss
      tape.backward(from: l)
    }
    let analytic = Array(store.gradients)
    XCTAssertGreaterThan(analytic.filter { $0 != 0 }.count, analytic.count / 2, "\(spec.family): most gradients are zero")
    let h = 1e-6
    for i in 0..<store.count {
      let saved = store.values[i]
      store.values[i] = saved + h
      let plus = loss(objective, store, shard: .whole(batch))
      store.values[i] = saved - h
      let minus = loss(objective, store, shard: .whole(batch))
      store.values[i] = saved
      let numeric = (plus - minus) / (2 * h)
      let name = store.slices.last { $0.offset <= i }!.name
      XCTAssertEqual(analytic[i], numeric, accuracy: 1e-6 * max(1, abs(numeric)),
                     "\(spec.family) parameter \(name) entry \(i) (seed \(seed))")
    }
  }

  func testPlanarLossGradientMatchesCentralDifferences() {
    assertGradientMatchesCentralDifferences(VariationalFlowSpec(family: .planar, layers: 3), seed: 5)
  }

  func testIAFLossGradientMatchesCentralDifferences() {
    assertGradientMatchesCentralDifferences(
      VariationalFlowSpec(family: .iaf, layers: 2, hidden: [4], activation: .tanh), seed: 6)
  }

  /// One planar layer written out by hand: x = z + û·tanh(wᵀz + b), log|det| = log(1 + (1 − h²)ûᵀw),
  /// loss = (1/B) Σ [log N(z) − log|det| + β·U1(x)].
  func testPlanarLossEqualsTheHandWrittenFormula() {
    let (objective, store) = flow(VariationalFlowSpec(family: .planar, layers: 1), seed: 7)
    let u = Array(store.values[0..<2]), w = Array(store.values[2..<4]), b = store.values[4]
    let wu = w[0] * u[0] + w[1] * u[1], ww = w[0] * w[0] + w[1] * w[1]
    let m = Foundation.log(1 + Foundation.exp(wu)) - 1
    let uHat = [u[0] + (m - wu) * w[0] / ww, u[1] + (m - wu) * w[1] / ww]
    var z = [Double](repeating: 0, count: 2)
    var expected = 0.0
    for example in 0..<batch {
      z.withUnsafeMutableBufferPointer {
        noise.training(step: 3).fillNormal($0, offset: RandomStream.offset(example: example))
      }
      let h = Foundation.tanh(w[0] * z[0] + w[1] * z[1] + b)
      let x = SIMD2(z[0] + uHat[0] * h, z[1] + uHat[1] * h)
      let logDet = Foundation.log(abs(1 + (1 - h * h) * (w[0] * uHat[0] + w[1] * uHat[1])))
      let logNormal = -0.5 * (z[0] * z[0] + z[1] * z[1]) - Foundation.log(2 * Double.pi)
      expected += logNormal - logDet + beta * RezendeEnergy.u1.energy(x)
    }
    XCTAssertEqual(loss(objective, store, shard: .whole(batch)), expected / Double(batch), accuracy: 1e-12)
  }
}
