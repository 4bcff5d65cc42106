import Autodiff
import Collectives
import Foundation
import Models
import TensorCore
import Variational
import VariationalTargets
import XCTest

/// With the target N(0, I) (U = ½‖x‖², log Z = log 2π) and a flow that is the identity, q = p:
/// every log weight −U(x) − log q(x) is log 2π, so ELBO = log Ẑ = log Z and ESS = N.
final class ExactFitTests: XCTestCase {
  let logTwoPi = Foundation.log(2 * Double.pi)

  /// Evaluates in chunks of 1000 rows, so the sample counts below span several chunks.
  func estimate(_ spec: VariationalFlowSpec, samples: Int,
                makeIdentity: (VariationalFlow, ParameterStore<Float>) -> Void) throws -> VariationalEstimate {
    let store = ParameterStore<Float>()
    let flow = VariationalFlow(spec, parameters: store)
    store.initialize(seed: 3)
    makeIdentity(flow, store)
    var evaluator = VariationalEvaluator(objective: ReverseKL(flow: flow, energy: StandardNormalEnergy()),
                                         parameters: store, noise: LatentNoise(seed: 4))
    evaluator.chunkSize = 1000
    let box = IntegrationBox(x: -4...4, y: -4...4)
    return try evaluator.estimate(samples: samples, histogramBox: box, bins: 8, communicator: LocalCommunicator()).0
  }

  func assertExact(_ e: VariationalEstimate, samples: Int, _ what: String) {
    XCTAssertEqual(StandardNormalEnergy().exactLogPartition!, logTwoPi)
    XCTAssertEqual(e.samples, samples, what)
    XCTAssertEqual(e.elbo, logTwoPi, accuracy: 1e-5, what)
    XCTAssertEqual(e.logPartition, logTwoPi, accuracy: 1e-5, what)
    XCTAssertEqual(e.effectiveSampleSize, Double(samples), accuracy: 1e-3 * Double(samples), what)
  }

  /// A freshly built IAF is the identity: its MADE output layers start at zero (μ = α = 0).
  func testFreshIAFFitsTheStandardNormalExactly() throws {
    let spec = VariationalFlowSpec(family: .iaf, layers: 3, hidden: [8])
    assertExact(try estimate(spec, samples: 3000) { _, _ in }, samples: 3000, "IAF")
  }

  /// A planar layer is the identity when û = 0, i.e. u ∥ w with wᵀu = log(e − 1), where
  /// m(wᵀu) = softplus(wᵀu) − 1 = 0.
  func testIdentityPlanarFitsTheStandardNormalExactly() throws {
    let spec = VariationalFlowSpec(family: .planar, layers: 4)
    let e = try estimate(spec, samples: 2500) { flow, store in
      for slice in store.slices where slice.name.hasSuffix(".u") {
        let w = store.values(of: store.slice(named: String(slice.name.dropLast(2)) + ".w")!)
        let norm2 = Double(w[0] * w[0] + w[1] * w[1])
        let scale = Foundation.log(M_E - 1) / norm2
        let u = store.values(of: slice)
        for k in 0..<2 { u[k] = Float(scale * Double(w[k])) }
      }
    }
    assertExact(e, samples: 2500, "planar")
  }

  /// A flow that is not the identity is strictly worse: ELBO < log Z, and log Ẑ is closer.
  func testPerturbedFlowHasAPositiveGap() throws {
    let spec = VariationalFlowSpec(family: .planar, layers: 4)
    let e = try estimate(spec, samples: 20000) { _, _ in }
    XCTAssertLessThan(e.elbo, logTwoPi - 0.01)
    XCTAssertLessThan(abs(e.logPartition - logTwoPi), logTwoPi - e.elbo)
    XCTAssertLessThan(e.effectiveSampleSize, 20000)
  }
}
