import Autodiff
import Flows
import TensorCore

/// One entry of the layer fixture table: how to build the layer and the shape of one input batch.
/// Adding a layer to the library means adding one line to `layerFixtures`; it then gets every
/// test in `LayerFixtureTests`.
struct LayerFixture: @unchecked Sendable {
  let name: String
  /// [batch, …]
  let inputShape: Shape
  let build: (ParameterStore<Double>) -> any FlowLayer

  init(_ name: String, _ inputShape: Shape, _ build: @escaping (ParameterStore<Double>) -> any FlowLayer) {
    self.name = name
    self.inputShape = inputShape
    self.build = build
  }
}

let layerFixtures: [LayerFixture] = [
  LayerFixture("coupling additive", [3, 4]) {
    VectorCoupling("c", dimension: 4, parity: 0, hidden: [5], transform: .additive, parameters: $0)
  },
  LayerFixture("coupling affine tanh", [3, 4]) {
    VectorCoupling("c", dimension: 4, parity: 1, hidden: [5, 5], transform: .affineTanh, parameters: $0)
  },
  LayerFixture("coupling affine exp", [3, 2]) {
    VectorCoupling("c", dimension: 2, parity: 0, hidden: [6], transform: .affineExp, parameters: $0)
  },
  LayerFixture("coupling affine sigmoid", [3, 5]) {
    VectorCoupling("c", dimension: 5, parity: 1, hidden: [4], transform: .affineSigmoid,
                   activation: .elu, parameters: $0)
  },
  LayerFixture("permutation reverse", [2, 5]) { _ in Permutation(.reverse, dimension: 5, seed: 1, index: 0) },
  LayerFixture("permutation random", [2, 6]) { _ in Permutation(.random, dimension: 6, seed: 7, index: 3) },
  LayerFixture("actnorm vector", [3, 4]) { ActNorm("a", channels: 4, parameters: $0) },
  LayerFixture("actnorm image", [2, 3, 2, 2]) { ActNorm("a", channels: 3, parameters: $0) },
  LayerFixture("inverted coupling", [3, 4]) {
    Inverted(VectorCoupling("c", dimension: 4, parity: 0, hidden: [5], transform: .affineTanh, parameters: $0))
  },
  LayerFixture("sequence", [3, 4]) { p in
    InvertibleFlowSequence([
      ActNorm("a", channels: 4, parameters: p),
      VectorCoupling("c0", dimension: 4, parity: 0, hidden: [5], transform: .affineTanh, parameters: p),
      Permutation(.reverse, dimension: 4, seed: 1, index: 0),
      VectorCoupling("c1", dimension: 4, parity: 1, hidden: [5], transform: .affineSigmoid, parameters: p),
    ])
  },
]
