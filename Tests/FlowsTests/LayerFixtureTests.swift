import Autodiff
import Flows
import TensorCore
import XCTest
import _TestSupport

/// Every test here runs over every entry of `layerFixtures`, in Float64.
final class LayerFixtureTests: XCTestCase {
  /// A built layer with its parameters set away from their (often zero) initial values, so that
  /// every parameter matters, and a random input batch.
  struct Instance {
    let layer: any FlowLayer
    let store: ParameterStore<Double>
    let x: Tensor<Double>
    /// The condition of a conditional layer, nil otherwise.
    let condition: Tensor<Double>?

    /// The condition as an input of `tape` (a constant: only `checkLayerGradients` differentiates it).
    func condition(on tape: Tape<Double>) -> Variable<Double>? { condition.map { tape.input($0) } }
  }

  static func instantiate(_ f: LayerFixture, seed: UInt64) -> Instance {
    let store = ParameterStore<Double>()
    let layer = f.build(store)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.3...0.3, using: &rng) }
    let x = Tensor(shape: f.inputShape,
                   scalars: (0..<f.inputShape.count).map { _ in Double.random(in: -1...1, using: &rng) })
    let condition = f.conditionShape.map { shape in
      Tensor(shape: shape, scalars: (0..<shape.count).map { _ in Double.random(in: -1...1, using: &rng) })
    }
    return Instance(layer: layer, store: store, x: x, condition: condition)
  }

  func testRoundTripAndLogAbsDetsCancel() {
    for (i, f) in layerFixtures.enumerated() {
      let inst = Self.instantiate(f, seed: 100 + UInt64(i))
      guard let layer = inst.layer as? any InvertibleFlowLayer else { continue }
      let tape = Tape<Double>(parameters: inst.store)
      let c = inst.condition(on: tape)
      let fwd = layer.forward(tape.input(inst.x), condition: c)
      let inv = layer.inverse(fwd.output, condition: c)
      XCTAssertEqual(inv.output.shape, inst.x.shape, f.name)
      let error = zip(inv.output.value, inst.x.scalars).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThan(error, 1e-10, "\(f.name): max|x − f⁻¹(f(x))| = \(error)")
      for (a, b) in zip(fwd.logAbsDet.value, inv.logAbsDet.value) {
        XCTAssertEqual(a + b, 0, accuracy: 1e-10, "\(f.name): logAbsDets do not cancel")
      }
    }
  }

  func testLogAbsDetMatchesBruteForceJacobian() {
    for (i, f) in layerFixtures.enumerated() {
      let inst = Self.instantiate(f, seed: 200 + UInt64(i))
      let batch = f.inputShape[0], d = f.inputShape.count / batch
      let tape = Tape<Double>(parameters: inst.store)
      let logAbsDet = Array(inst.layer.forward(tape.input(inst.x), condition: inst.condition(on: tape)).logAbsDet.value)
      XCTAssertEqual(logAbsDet.count, batch, "\(f.name): logAbsDet must have shape [batch]")
      for b in 0..<batch {
        // Column j of the Jacobian of example b: central difference in input j of that example.
        var jacobian = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
          let plus = output(inst, perturbing: b * d + j, by: 1e-6)
          let minus = output(inst, perturbing: b * d + j, by: -1e-6)
          for r in 0..<d { jacobian[r * d + j] = (plus[b * d + r] - minus[b * d + r]) / 2e-6 }
        }
        // The oracle is Householder QR in _TestSupport, independent of the library's LAPACK LU.
        XCTAssertEqual(logAbsDet[b], logAbsDeterminant(jacobian, n: d), accuracy: 1e-6,
                       "\(f.name): example \(b)")
      }
    }
  }

  private func output(_ inst: Instance, perturbing index: Int, by h: Double) -> [Double] {
    var x = inst.x
    x.scalars[index] += h
    let tape = Tape<Double>(parameters: inst.store)
    return Array(inst.layer.forward(tape.input(x), condition: inst.condition(on: tape)).output.value)
  }

  func testGradientsOfInputsAndParameters() {
    for (i, f) in layerFixtures.enumerated() {
      let inst = Self.instantiate(f, seed: 300 + UInt64(i))
      for failure in checkLayerGradients(inst, seed: 300 + UInt64(i)) { XCTFail("\(f.name): \(failure)") }
    }
  }

  func testFiniteOutputsShapePreservedAndEveryParameterGetsGradient() {
    for (i, f) in layerFixtures.enumerated() {
      let inst = Self.instantiate(f, seed: 400 + UInt64(i))
      let tape = Tape<Double>(parameters: inst.store)
      let r = inst.layer.forward(tape.input(inst.x), condition: inst.condition(on: tape))
      XCTAssertEqual(r.output.shape, inst.x.shape, f.name)
      XCTAssertTrue(r.output.value.allSatisfy(\.isFinite) && r.logAbsDet.value.allSatisfy(\.isFinite), f.name)
      inst.store.zeroGradients()
      tape.backward(from: (r.output.square().sum() + r.logAbsDet.sum()))
      for slice in inst.store.slices {
        XCTAssertTrue(inst.store.gradients(of: slice).contains { $0 != 0 },
                      "\(f.name): parameter \(slice.name) receives no gradient")
      }
    }
  }
}
