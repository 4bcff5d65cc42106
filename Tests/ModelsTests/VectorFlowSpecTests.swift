import Autodiff
import Configuration
import Flows
import Models
import TensorCore
import Training
import XCTest

final class VectorFlowSpecTests: XCTestCase {
  private func spec(_ yaml: String) throws -> VectorFlowSpec {
    let config = try Config(yaml: yaml, source: "test.yaml")
    let spec = try VectorFlowSpec(config: config.section("model"))
    try config.rejectUnusedKeys()
    return spec
  }

  func testEveryFamilyBuildsAnInvertibleModelWithFiniteLikelihood() throws {
    for family in VectorFlowFamily.allCases {
      for mixing in VectorMixing.allCases {
        let s = try spec("model: {family: \(family.rawValue), layers: 3, hidden: [6], mixing: \(mixing.rawValue), actnorm: true}")
        let store = ParameterStore<Double>()
        let model = s.build(dimension: 3, parameters: store, seed: 5)
        store.initialize(seed: 1)
        let tape = Tape<Double>(parameters: store)
        let x = tape.input(Tensor(shape: [4, 3], scalars: (0..<12).map { Double($0) / 7 - 0.8 }))
        let ll = model.logLikelihood(x)
        XCTAssertEqual(ll.shape, [4], "\(family) \(mixing)")
        XCTAssertTrue(ll.value.allSatisfy(\.isFinite), "\(family) \(mixing)")
        // At initialization with zero-initialized conditioners every layer is volume-preserving
        // up to actnorm (identity before its data init), so p(x) is the base density.
        let base = StandardNormal().logProbability(x, condition: nil)
        for (a, b) in zip(ll.value, base.value) { XCTAssertEqual(a, b, accuracy: 1e-9, "\(family) \(mixing)") }
      }
    }
  }

  func testNiceRejectsTransformKeyAndRealNVPRejectsAdditive() throws {
    XCTAssertThrowsError(try spec("model: {family: nice, transform: affine_tanh}")) { error in
      XCTAssertTrue("\(error)".contains("model.transform"), "\(error)")
    }
    XCTAssertThrowsError(try spec("model: {family: realnvp, transform: additive}")) { error in
      XCTAssertTrue("\(error)".contains("family: nice"), "\(error)")
    }
  }

  func testUnknownFamilyNamesTheChoices() throws {
    XCTAssertThrowsError(try spec("model: {family: realnpv}")) { error in
      XCTAssertTrue("\(error)".contains("realnvp"), "\(error)")
    }
  }
}
