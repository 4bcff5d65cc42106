import Autodiff
import Flows
import TensorCore
import XCTest
import _TestSupport

/// A model whose condition passes through a trained encoder before its layers and base read it.
final class ConditionEncoderTests: XCTestCase {
  /// c [batch, 2] → tanh(c·W + b) [batch, 3]: a small network with parameters of its own.
  struct TanhEncoder: ConditionEncoder {
    let dense: Dense
    func encode<S: TensorScalar>(_ condition: Variable<S>) -> Variable<S> { dense(condition, activation: .tanh) }
  }

  let batch = 4, dimension = 2, conditionSize = 2, features = 3

  func make(seed: UInt64) -> (FlowModel, TanhEncoder, ParameterStore<Double>, x: Tensor<Double>, c: Tensor<Double>) {
    let store = ParameterStore<Double>()
    let encoder = TanhEncoder(dense: Dense("encoder", inputs: conditionSize, outputs: features, parameters: store))
    let layers: [any InvertibleFlowLayer] = (0..<2).map {
      VectorCoupling("coupling\($0)", dimension: dimension, parity: $0, hidden: [5], transform: .affineTanh,
                     conditionFeatures: features, parameters: store)
    }
    let base = ConditionalDiagonalGaussian("base", conditionFeatures: features, eventShape: [dimension],
                                           hidden: [4], parameters: store)
    let model = FlowModel(flow: InvertibleFlowSequence(layers), base: base, eventShape: [dimension],
                          conditionShape: [conditionSize], conditionEncoder: encoder)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    // Off the identity start, so every parameter matters.
    for i in store.values.indices { store.values[i] += Double.random(in: -0.5...0.5, using: &rng) }
    func random(_ shape: Shape) -> Tensor<Double> {
      Tensor(shape: shape, scalars: (0..<shape.count).map { _ in Double.random(in: -1.5...1.5, using: &rng) })
    }
    return (model, encoder, store, random([batch, dimension]), random([batch, conditionSize]))
  }

  /// The layers and the base read the encoder's features, not the raw condition.
  func testLayersReadTheEncodedCondition() {
    let (model, encoder, store, x, c) = make(seed: 5)
    let tape = Tape<Double>(parameters: store)
    let features = encoder.encode(tape.input(c))
    let r = model.flow.forward(tape.input(x), condition: features)
    let byHand = model.base.logProbability(r.output, condition: features) + r.logAbsDet
    let ll = model.logLikelihood(tape.input(x), condition: tape.input(c))
    XCTAssertEqual(ll.value.count, batch)
    for (a, b) in zip(ll.value, byHand.value) { XCTAssertEqual(a, b, accuracy: 1e-12) }
  }

  /// d/dθ Σ log p(x | c) for every parameter — the encoder's included — and d/dc, against central
  /// differences.
  func testGradientsReachTheEncoder() {
    let (model, _, store, x, c) = make(seed: 6)
    func loss(_ condition: Tensor<Double>) -> Double {
      let tape = Tape<Double>(parameters: store)
      return model.logLikelihood(tape.input(x), condition: tape.input(condition)).value.reduce(0, +)
    }
    let tape = Tape<Double>(parameters: store)
    let cVar = tape.input(c, requiresGradient: true)
    store.zeroGradients()
    tape.backward(from: model.logLikelihood(tape.input(x), condition: cVar).sum())
    let dc = Array(cVar.gradient!)
    let dθ = Array(store.gradients)
    let h = 1e-6
    for slice in store.slices {
      let values = store.values(of: slice)
      for j in 0..<slice.count {
        let saved = values[j]
        values[j] = saved + h
        let plus = loss(c)
        values[j] = saved - h
        let minus = loss(c)
        values[j] = saved
        XCTAssertEqual(dθ[slice.offset + j], (plus - minus) / (2 * h), accuracy: 1e-6 * max(1, abs(plus)),
                       "\(slice.name)[\(j)]")
      }
    }
    let encoderGradient = store.slices.filter { $0.name.hasPrefix("encoder") }
      .flatMap { s in (0..<s.count).map { dθ[s.offset + $0] } }
    XCTAssertTrue(encoderGradient.contains { $0 != 0 }, "no gradient reached the encoder")
    for i in 0..<c.count {
      var plus = c, minus = c
      plus.scalars[i] += h
      minus.scalars[i] -= h
      XCTAssertEqual(dc[i], (loss(plus) - loss(minus)) / (2 * h), accuracy: 1e-6, "condition \(i)")
    }
  }

  /// Sampling decodes with the same features: encoding a sample with its condition recovers its latent.
  func testSampleAndEncodeAgree() {
    let (model, _, store, _, c) = make(seed: 7)
    let tape = Tape<Double>(parameters: store)
    let condition = tape.input(c)
    let samples = model.sample(count: batch, on: tape, condition: condition, noise: RandomStream(seed: 3, purpose: .sampling))
    XCTAssertLessThan(model.roundTripError(samples, condition: condition), 1e-10)
  }
}
