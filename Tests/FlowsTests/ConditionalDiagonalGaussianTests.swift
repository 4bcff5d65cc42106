import Autodiff
import Flows
import Foundation
import TensorCore
import XCTest
import _TestSupport

final class ConditionalDiagonalGaussianTests: XCTestCase {
  let features = 3, dimension = 2, batch = 4

  /// The distribution (C = 3 → 5 → 2·2, ReLU), its store with every parameter moved off its
  /// initial value when `perturbed`, and random z [4, 2] and c [4, 3].
  func make(seed: UInt64, perturbed: Bool)
    -> (ConditionalDiagonalGaussian, ParameterStore<Double>, z: Tensor<Double>, c: Tensor<Double>)
  {
    let store = ParameterStore<Double>()
    let q = ConditionalDiagonalGaussian("q", conditionFeatures: features, eventShape: [dimension],
                                        hidden: [5], parameters: store)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    if perturbed {
      for i in store.values.indices { store.values[i] += Double.random(in: -0.5...0.5, using: &rng) }
    }
    func random(_ shape: Shape) -> Tensor<Double> {
      Tensor(shape: shape, scalars: (0..<shape.count).map { _ in Double.random(in: -1.5...1.5, using: &rng) })
    }
    return (q, store, random([batch, dimension]), random([batch, features]))
  }

  func testStartsAsStandardNormal() {
    let (q, store, z, c) = make(seed: 21, perturbed: false)
    let tape = Tape<Double>(parameters: store)
    let conditional = q.logProbability(tape.input(z), condition: tape.input(c))
    let standard = StandardNormal().logProbability(tape.input(z), condition: nil)
    for (a, b) in zip(conditional.value, standard.value) { XCTAssertEqual(a, b, accuracy: 1e-14) }
  }

  /// log p(z | c) against the network and the Gaussian density written out by hand.
  func testLogDensityMatchesDirectFormula() {
    let (q, store, z, c) = make(seed: 22, perturbed: true)
    let tape = Tape<Double>(parameters: store)
    let logp = q.logProbability(tape.input(z), condition: tape.input(c))
    let hiddenLayer = q.network.layers[0], outputLayer = q.network.layers[1]
    for b in 0..<batch {
      let hidden = dense(store, hiddenLayer, Array(c.scalars[(b * features)..<((b + 1) * features)])).map { max($0, 0) }
      let out = dense(store, outputLayer, hidden)
      var expected = 0.0
      for k in 0..<dimension {
        let mean = out[k], logStd = out[dimension + k]
        let standardized = (z.scalars[b * dimension + k] - mean) / Foundation.exp(logStd)
        expected += -0.5 * standardized * standardized - logStd - 0.5 * Foundation.log(2 * Double.pi)
      }
      XCTAssertEqual(logp.value[b], expected, accuracy: 1e-12, "example \(b)")
    }
  }

  /// y = x · W + b for one example, read from the store.
  func dense(_ store: ParameterStore<Double>, _ layer: Dense, _ x: [Double]) -> [Double] {
    let w = store.values(of: layer.weight), bias = store.values(of: layer.bias)
    let outputs = layer.bias.count
    return (0..<outputs).map { o in bias[o] + x.indices.reduce(0) { $0 + x[$1] * w[$1 * outputs + o] } }
  }

  /// Gradients of log p(z | c) with respect to z, c and every network parameter, through the
  /// layer gradient check: the input is [z, c] side by side and the "log-determinant" is log p.
  func testGradientsOfSampleConditionAndParameters() {
    let (q, store, z, c) = make(seed: 23, perturbed: true)
    var joined: [Double] = []
    for b in 0..<batch {
      joined += z.scalars[(b * dimension)..<((b + 1) * dimension)]
      joined += c.scalars[(b * features)..<((b + 1) * features)]
    }
    let x = Tensor(shape: [batch, dimension + features], scalars: joined)
    let inst = LayerFixtureTests.Instance(layer: LogDensityUnderTest(distribution: q, dimension: dimension),
                                          store: store, x: x, condition: nil)
    for failure in checkLayerGradients(inst, seed: 23) { XCTFail(failure) }
  }

  /// Sampling is mean + T · σ · ε with the same ε as a standard normal drawn from the same stream.
  func testSampleIsShiftedAndScaledStandardNoise() {
    let (q, store, _, c) = make(seed: 24, perturbed: true)
    let tape = Tape<Double>(parameters: store)
    let noise = RandomStream(seed: 5, purpose: .sampling)
    let condition = tape.input(c)
    let x = q.sample(count: batch, eventShape: [dimension], on: tape, condition: condition,
                     temperature: 0.7, noise: noise, firstExample: 3)
    let eps = StandardNormal().sample(count: batch, eventShape: [dimension], on: tape, condition: nil,
                                      temperature: 1, noise: noise, firstExample: 3)
    let (mean, logStd) = q.meanAndLogStd(condition)
    for i in 0..<(batch * dimension) {
      XCTAssertEqual(x.value[i], mean.value[i] + 0.7 * Foundation.exp(logStd.value[i]) * eps.value[i], accuracy: 1e-14)
    }
  }
}

/// Feeds [z, c] ([batch, D + C]) to a conditional distribution: the output is the input
/// unchanged and the log-determinant slot carries log p(z | c), so `checkLayerGradients` checks
/// its gradients with respect to z, c and the parameters.
struct LogDensityUnderTest: FlowLayer {
  let distribution: any BaseDistribution
  let dimension: Int

  func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (z, c) = x.split(alongAxis: 1, at: dimension)
    return FlowResult(output: x, logAbsDet: distribution.logProbability(z, condition: c))
  }
}
