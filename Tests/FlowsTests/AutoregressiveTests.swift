import Autodiff
import Flows
import TensorCore
import XCTest
import _TestSupport

/// The autoregressive property of MADE and MAF, read off reverse-mode gradients: output k of
/// example 0 is back-propagated alone and the input gradient shows which inputs it depends on.
final class AutoregressiveTests: XCTestCase {
  let dimension = 5
  let orders: [[Int]] = [[0, 1, 2, 3, 4], [3, 0, 4, 1, 2], [4, 3, 2, 1, 0]]

  /// A store with every parameter moved off its initial value (the output layer starts at zero,
  /// which would hide every dependency) and a random [2, D] input.
  func setUp(seed: UInt64, build: (ParameterStore<Double>) -> Void) -> (ParameterStore<Double>, Tensor<Double>) {
    let store = ParameterStore<Double>()
    build(store)
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.5...0.5, using: &rng) }
    let x = Tensor(shape: [2, dimension], scalars: (0..<(2 * dimension)).map { _ in Double.random(in: -1...1, using: &rng) })
    return (store, x)
  }

  /// [2, D] gradient of output entry (example 0, dimension k) of `f` with respect to the input.
  func inputGradient(_ store: ParameterStore<Double>, _ x: Tensor<Double>, dimension k: Int,
                     _ f: (Variable<Double>) -> Variable<Double>) -> [Double] {
    let tape = Tape<Double>(parameters: store)
    let input = tape.input(x, requiresGradient: true)
    let y = f(input)
    var cotangent = [Double](repeating: 0, count: y.shape.count)
    cotangent[k] = 1
    cotangent.withUnsafeBufferPointer { tape.backward(from: y, cotangent: $0.baseAddress!) }
    return input.gradient.map(Array.init) ?? [Double](repeating: 0, count: x.count)
  }

  /// Checks that output k depends on input j exactly when `allowed(degree j, degree k)`, and
  /// never on the other example.
  func assertDependencies(_ gradient: [Double], output k: Int, degrees: [Int], _ what: String,
                          allowed: (Int, Int) -> Bool) {
    for j in 0..<dimension {
      let g = gradient[j]
      if allowed(degrees[j], degrees[k]) {
        XCTAssertNotEqual(g, 0, "\(what): output \(k) (degree \(degrees[k])) ignores input \(j) (degree \(degrees[j]))")
      } else {
        XCTAssertEqual(g, 0, "\(what): output \(k) (degree \(degrees[k])) depends on input \(j) (degree \(degrees[j]))")
      }
      XCTAssertEqual(gradient[dimension + j], 0, "\(what): output \(k) of example 0 depends on example 1")
    }
  }

  func testMADEOutputsDependExactlyOnEarlierInputs() {
    for (i, order) in orders.enumerated() {
      // tanh keeps every allowed path alive; hidden widths ≥ D − 1 keep every dependency.
      var made: MADE!
      let (store, x) = setUp(seed: 50 + UInt64(i)) {
        made = MADE("m", dimension: dimension, hidden: [6, 4], order: order, activation: .tanh, parameters: $0)
      }
      XCTAssertEqual(order.map { made.inputDegrees[$0] }, Array(1...dimension))
      for k in 0..<dimension {
        let dMu = inputGradient(store, x, dimension: k) { made($0).shift }
        let dAlpha = inputGradient(store, x, dimension: k) { made($0).logScale }
        assertDependencies(dMu, output: k, degrees: made.inputDegrees, "μ, order \(order)", allowed: <)
        assertDependencies(dAlpha, output: k, degrees: made.inputDegrees, "α, order \(order)", allowed: <)
      }
    }
  }

  func testMADEWithPrefixMaskedHiddenLayerKeepsTheProperty() {
    for (i, order) in orders.enumerated() {
      var made: MADE!
      let (store, x) = setUp(seed: 70 + UInt64(i)) {
        made = MADE("m", dimension: dimension, hidden: [64, 64], order: order, activation: .tanh, parameters: $0)
      }
      XCTAssertNil(made.layers[0].prefixMask, "8 inputs are too few for the prefix path")
      XCTAssertEqual(made.layers[1].prefixMask?.runs.count, dimension - 1)
      for k in 0..<dimension {
        let dMu = inputGradient(store, x, dimension: k) { made($0).shift }
        let dAlpha = inputGradient(store, x, dimension: k) { made($0).logScale }
        assertDependencies(dMu, output: k, degrees: made.inputDegrees, "μ, order \(order)", allowed: <)
        assertDependencies(dAlpha, output: k, degrees: made.inputDegrees, "α, order \(order)", allowed: <)
      }
    }
  }

  func testMAFLatentDependsOnNoLaterInput() {
    for (i, order) in orders.enumerated() {
      var maf: MaskedAutoregressiveFlow!
      let (store, x) = setUp(seed: 60 + UInt64(i)) {
        maf = MaskedAutoregressiveFlow("m", dimension: dimension, hidden: [7], order: order,
                                       activation: .tanh, parameters: $0)
      }
      for k in 0..<dimension {
        let dz = inputGradient(store, x, dimension: k) { maf.forward($0).output }
        // z_k = (x_k − μ_k)·exp(−α_k): itself and every earlier input, nothing later.
        assertDependencies(dz, output: k, degrees: maf.made.inputDegrees, "z, order \(order)", allowed: <=)
      }
    }
  }

  func testMAFSamplingInvertsDensityDirectionAtEveryOrder() {
    for (i, order) in orders.enumerated() {
      var maf: MaskedAutoregressiveFlow!
      let (store, x) = setUp(seed: 70 + UInt64(i)) {
        // tanh: with ReLU a dead unit can cut the last dimension's dependency on the one before,
        // and D − 1 passes would then pass this test by luck.
        maf = MaskedAutoregressiveFlow("m", dimension: dimension, hidden: [6, 6], order: order,
                                       activation: .tanh, parameters: $0)
      }
      let tape = Tape<Double>(parameters: store)
      let z = maf.forward(tape.input(x))
      let back = maf.inverse(z.output)
      for (a, b) in zip(back.output.value, x.scalars) { XCTAssertEqual(a, b, accuracy: 1e-12, "order \(order)") }
      for (a, b) in zip(z.logAbsDet.value, back.logAbsDet.value) { XCTAssertEqual(a, -b, accuracy: 1e-12) }
    }
  }
}
