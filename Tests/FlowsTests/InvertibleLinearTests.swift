import Autodiff
import Flows
import TensorCore
import XCTest
import _TestSupport

final class InvertibleLinearTests: XCTestCase {
  /// [D, D] the layer's weight as a host array.
  func weight(_ layer: InvertibleLinear, _ store: ParameterStore<Double>) -> [Double] {
    let tape = Tape<Double>(parameters: store)
    return withExtendedLifetime(tape) { Array(layer.weight(on: tape).value) }
  }

  /// The LU factors rebuild exactly the rotation drawn from the layer's stream, so the layer
  /// starts volume-preserving, and the forward map is z = x · Wᵀ.
  func testStartsAsTheRotationItFactorizes() {
    for (d, index) in [(1, 0), (4, 2), (7, 5)] {
      let store = ParameterStore<Double>()
      let layer = InvertibleLinear("l", dimension: d, seed: 11, index: index, parameters: store)
      store.initialize(seed: 99)
      let rotation = ParameterInitializer.randomOrthogonalMatrix(
        order: d, stream: RandomStream(seed: 11, purpose: .parameterInit, major: (1 << 23) + 1, minor: index))
      let w = weight(layer, store)
      for i in 0..<(d * d) { XCTAssertEqual(w[i], rotation[i], accuracy: 1e-12, "D \(d) entry \(i)") }

      let tape = Tape<Double>(parameters: store)
      let x = Tensor(shape: [d, d], scalars: SquareIdentity.matrix(d))
      let r = layer.forward(tape.input(x))
      // Row b of z is W · e_b, i.e. column b of W.
      for b in 0..<d {
        for i in 0..<d { XCTAssertEqual(r.output.value[b * d + i], w[i * d + b], accuracy: 1e-14) }
        XCTAssertEqual(r.logAbsDet.value[b], 0, accuracy: 1e-12, "a rotation has |det| = 1")
      }
    }
  }

  /// The same seed and index give the same fixed permutation and signs (what a checkpoint relies
  /// on); another index gives another rotation.
  func testFixedPartsAreReproducibleFromTheSeed() {
    let a = InvertibleLinear("a", dimension: 6, seed: 5, index: 3, parameters: ParameterStore<Double>())
    let b = InvertibleLinear("b", dimension: 6, seed: 5, index: 3, parameters: ParameterStore<Float>())
    XCTAssertEqual(a.permutation, b.permutation)
    XCTAssertEqual(a.sign, b.sign)
    let storeC = ParameterStore<Double>(), storeD = ParameterStore<Double>()
    let c = InvertibleLinear("c", dimension: 6, seed: 5, index: 3, parameters: storeC)
    let e = InvertibleLinear("c", dimension: 6, seed: 5, index: 4, parameters: storeD)
    storeC.initialize(seed: 0)
    storeD.initialize(seed: 0)
    XCTAssertNotEqual(weight(c, storeC), weight(e, storeD))
  }

  /// Float32 round trip of the layers built on Float64 constants (masks, LU factors).
  func testFloat32RoundTrip() {
    let store = ParameterStore<Float>()
    let layers: [any InvertibleFlowLayer] = [
      InvertibleLinear("l", dimension: 5, seed: 2, index: 0, parameters: store),
      MaskedAutoregressiveFlow("m", dimension: 5, hidden: [8], parameters: store),
      MaskedAutoregressiveFlow.inverseAutoregressive("i", dimension: 5, hidden: [8], parameters: store),
    ]
    store.initialize(seed: 4)
    var rng = SeededGenerator(seed: 4)
    for i in store.values.indices { store.values[i] += Float.random(in: -0.2...0.2, using: &rng) }
    let x = Tensor<Float>(shape: [3, 5], scalars: (0..<15).map { _ in Float.random(in: -1...1, using: &rng) })
    for layer in layers {
      let tape = Tape<Float>(parameters: store)
      let z = layer.forward(tape.input(x))
      let back = layer.inverse(z.output)
      for (a, b) in zip(back.output.value, x.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5, "\(type(of: layer))") }
      for (a, b) in zip(z.logAbsDet.value, back.logAbsDet.value) { XCTAssertEqual(a, -b, accuracy: 1e-5) }
    }
  }
}

enum SquareIdentity {
  /// [n, n] row-major identity.
  static func matrix(_ n: Int) -> [Double] { (0..<(n * n)).map { $0 / n == $0 % n ? 1 : 0 } }
}
