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
  LayerFixture("invertible linear", [3, 4]) { InvertibleLinear("l", dimension: 4, seed: 3, index: 0, parameters: $0) },
  LayerFixture("invertible linear D=3", [2, 3]) { InvertibleLinear("l", dimension: 3, seed: 3, index: 1, parameters: $0) },
  LayerFixture("inverted invertible linear", [3, 4]) {
    Inverted(InvertibleLinear("l", dimension: 4, seed: 4, index: 0, parameters: $0))
  },
  LayerFixture("MAF", [3, 4]) { MaskedAutoregressiveFlow("m", dimension: 4, hidden: [5], parameters: $0) },
  LayerFixture("MAF order 2,0,1, two tanh layers", [2, 3]) {
    MaskedAutoregressiveFlow("m", dimension: 3, hidden: [4, 3], order: [2, 0, 1], activation: .tanh, parameters: $0)
  },
  LayerFixture("IAF", [3, 4]) { MaskedAutoregressiveFlow.inverseAutoregressive("i", dimension: 4, hidden: [5], parameters: $0) },
  LayerFixture("MAF, reverse, MAF, linear", [2, 3]) { p in
    InvertibleFlowSequence([
      MaskedAutoregressiveFlow("m0", dimension: 3, hidden: [4], activation: .tanh, parameters: p),
      Permutation(.reverse, dimension: 3, seed: 1, index: 0),
      MaskedAutoregressiveFlow("m1", dimension: 3, hidden: [4], activation: .elu, parameters: p),
      InvertibleLinear("l", dimension: 3, seed: 5, index: 2, parameters: p),
    ])
  },
  LayerFixture("planar (generative direction)", [3, 4]) { GenerativeUnderTest(Planar("p", dimension: 4, parameters: $0)) },
  LayerFixture("planar, IAF, planar (generative direction)", [3, 3]) { p in
    GenerativeUnderTest(GenerativeSequence([
      Planar("p0", dimension: 3, parameters: p),
      GenerativeDirection(MaskedAutoregressiveFlow.inverseAutoregressive("i", dimension: 3, hidden: [4], parameters: p)),
      Planar("p1", dimension: 3, parameters: p),
    ]))
  },
  // Wide enough that the 48 → 48 hidden layer takes MaskedDense's prefix-mask path (3 runs of 16).
  LayerFixture("MAF 48-48, order 2,0,3,1", [2, 4]) {
    MaskedAutoregressiveFlow("m", dimension: 4, hidden: [48, 48], order: [2, 0, 3, 1], parameters: $0)
  },
]
