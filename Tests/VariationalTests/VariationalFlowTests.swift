import Autodiff
import Flows
import Models
import TensorCore
import Variational
import XCTest
import _TestSupport

/// The two routes to log q of an IAF flow agree, and the spec builds what it names.
final class VariationalFlowTests: XCTestCase {
  /// A Float64 flow with every parameter moved off its initial value: the MADE output layers
  /// start at zero, which would make every IAF layer the identity and hide any mismatch.
  func perturbedFlow(_ spec: VariationalFlowSpec, seed: UInt64) -> (VariationalFlow, ParameterStore<Double>) {
    let store = ParameterStore<Double>()
    let flow = VariationalFlow(spec, parameters: store)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.5...0.5, using: &rng) }
    return (flow, store)
  }

  /// log q(x) along a sample (log N(z₀) − log|det ∂x/∂z₀|, one pass) equals log q(x) evaluated at
  /// that x through the density direction (D passes per layer), and that direction recovers z₀.
  func testIAFDensityAtSamplesMatchesTheSamplingPath() {
    for seed: UInt64 in [3, 4] {
      let (flow, store) = perturbedFlow(VariationalFlowSpec(family: .iaf, layers: 3, hidden: [8, 8], activation: .tanh),
                                        seed: seed)
      let tape = Tape<Double>(parameters: store)
      let z0: Variable<Double> = tape.standardNormalRows(0..<64, dimension: 2, stream: RandomStream(seed: seed, stream: 9))
      let pushed = flow.generative.transform(z0)
      let alongSamples = VariationalFlow.logDensity(latent: z0, pushed: pushed).scalars
      let atPoints = flow.logDensity(at: pushed.output)!.scalars
      let recovered = flow.densityMap!.forward(pushed.output).output.scalars
      XCTAssertGreaterThan(zip(pushed.output.scalars, z0.scalars).map { abs($0 - $1) }.max()!, 0.1,
                           "seed \(seed): the perturbed flow should not be near the identity")
      for i in 0..<64 {
        XCTAssertEqual(atPoints[i], alongSamples[i], accuracy: 1e-10, "seed \(seed) sample \(i)")
      }
      for (r, z) in zip(recovered, z0.scalars) { XCTAssertEqual(r, z, accuracy: 1e-10, "seed \(seed)") }
    }
  }

  func testPlanarHasNoDensityDirection() {
    let (flow, store) = perturbedFlow(VariationalFlowSpec(family: .planar, layers: 2), seed: 1)
    XCTAssertNil(flow.densityMap)
    XCTAssertEqual(store.slices.count, 6, "u, w, bias per planar layer")
  }
}
