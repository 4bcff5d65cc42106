import Autodiff
import Collectives
import Flows
import Models
import TensorCore
import XCTest
import _TestSupport

/// Reversible backprop gives the gradients of the stored backward pass, in Float64 where the
/// reconstruction through the inverses is exact to ~1e-12, for every invertible fixture layer:
/// input, condition (through the encoder, for encoded models) and every parameter.
final class ReversibleBackpropTests: XCTestCase {
  /// The gradients of `L = <c₁, z> + <c₂, logAbsDet>` and the forward values.
  struct Gradients {
    var output: [Double] = [], logAbsDet: [Double] = []
    var input: [Double] = [], condition: [Double] = [], parameters: [Double] = []
  }

  /// The fixture's flow as the sequence the engine walks, its input for `x` (relative to an
  /// encoded model's condition offset) and the features its layers read.
  private static func flow(of layer: any InvertibleFlowLayer, _ x: Variable<Double>, condition: Variable<Double>?)
    -> (InvertibleFlowSequence, Variable<Double>, Variable<Double>?)
  {
    switch layer {
    case let encoded as EncodedUnderTest:
      return (encoded.model.flow, encoded.model.relative(x, to: condition),
              encoded.model.features(condition, batch: condition!.shape[0]))
    case let encoded as EncodedConditionUnderTest:
      return (flow(of: encoded.layer, x, condition: nil).0, x, condition.map { encoded.encoder.encode($0) })
    case let sequence as InvertibleFlowSequence:
      return (sequence, x, condition)
    default:
      return (InvertibleFlowSequence([layer]), x, condition)
    }
  }

  static func gradients(_ layer: any InvertibleFlowLayer, _ inst: LayerFixtureTests.Instance, seed: UInt64,
                        reversible: Bool, dropout: Bool = false) -> Gradients {
    var rng = SeededGenerator(seed: seed)
    let batch = inst.x.shape[0]
    let tape = Tape<Double>(parameters: inst.store)
    if dropout { tape.stepNoise = StepNoise(seed: seed, step: 3, examples: (0..<batch).map { 10 + $0 }) }
    let x = tape.input(inst.x, requiresGradient: true)
    let c = inst.condition.map { tape.input($0, requiresGradient: true) }
    let (flow, input, features) = flow(of: layer, x, condition: c)
    let r = reversible ? ReversibleBackprop(parameters: inst.store).forward(flow, input, features: features)
      : flow.forwardLayers(input, condition: features)
    tape.stepNoise = nil
    let cz = tape.input(Tensor(shape: r.output.shape,
                               scalars: (0..<r.output.shape.count).map { _ in Double.random(in: -1...1, using: &rng) }))
    let cd = tape.input(Tensor(shape: [batch], scalars: (0..<batch).map { _ in Double.random(in: -1...1, using: &rng) }))
    inst.store.zeroGradients()
    tape.backward(from: (r.output * cz).sum() + (r.logAbsDet * cd).sum())
    return Gradients(output: r.output.scalars, logAbsDet: r.logAbsDet.scalars,
                     input: x.gradient.map(Array.init) ?? [], condition: c?.gradient.map(Array.init) ?? [],
                     parameters: Array(inst.store.gradients))
  }

  /// Failure messages where `b` differs from `a` by more than `tolerance` relative to the largest entry.
  static func differences(_ a: Gradients, _ b: Gradients, tolerance: Double) -> [String] {
    var failures: [String] = []
    for (name, x, y) in [("output", a.output, b.output), ("logAbsDet", a.logAbsDet, b.logAbsDet),
                         ("input gradient", a.input, b.input), ("condition gradient", a.condition, b.condition),
                         ("parameter gradient", a.parameters, b.parameters)] {
      guard x.count == y.count else {
        failures.append("\(name): \(x.count) entries stored, \(y.count) reversible")
        continue
      }
      let scale = max(1e-30, x.map(abs).max() ?? 0)
      let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
      if !(worst <= tolerance * scale) { failures.append("\(name): max difference \(worst) (largest entry \(scale))") }
    }
    return failures
  }

  func testGradientsMatchTheStoredPassForEveryInvertibleFixture() {
    var checked = 0
    for (i, f) in layerFixtures.enumerated() {
      let inst = LayerFixtureTests.instantiate(f, seed: 500 + UInt64(i))
      guard let layer = inst.layer as? any InvertibleFlowLayer else { continue }
      let stored = Self.gradients(layer, inst, seed: 7, reversible: false)
      let reversible = Self.gradients(layer, inst, seed: 7, reversible: true)
      for failure in Self.differences(stored, reversible, tolerance: 1e-9) { XCTFail("\(f.name): \(failure)") }
      XCTAssertTrue(stored.parameters.isEmpty || stored.parameters.contains { $0 != 0 }, "\(f.name): no gradient")
      checked += 1
    }
    XCTAssertGreaterThan(checked, 40, "invertible fixtures checked")
  }

  /// Dropout in the couplings' conditioners draws the same masks in the forward walk, the
  /// inverses and the recomputations as on one tape: the sites keep their numbers.
  func testDropoutMasksAreTheStoredPassesAcrossLayersAndLevels() {
    let f = LayerFixture("glow L=2 K=2, gated residual with dropout", [2, 1, 4, 4]) {
      MultiScaleArchitecture(style: .glow, levels: 2, steps: 2, width: 3, transform: .affine(.affineSigmoid),
                             conditioner: .gatedResidual(blocks: 1, heads: 0, dropout: 0.3), mixing: .conv1x1LU,
                             actnorm: true, topPrior: .learned, splitPrior: .conditional)
        .build(eventShape: [1, 4, 4], parameters: $0, seed: 1)
    }
    let inst = LayerFixtureTests.instantiate(f, seed: 11)
    let layer = inst.layer as! any InvertibleFlowLayer
    let stored = Self.gradients(layer, inst, seed: 5, reversible: false, dropout: true)
    let reversible = Self.gradients(layer, inst, seed: 5, reversible: true, dropout: true)
    XCTAssertEqual(Self.differences(stored, reversible, tolerance: 1e-9), [])
    // The masks matter: without them the stored pass differs.
    let noDropout = Self.gradients(layer, inst, seed: 5, reversible: false)
    XCTAssertNotEqual(Self.differences(stored, noDropout, tolerance: 1e-6), [])
  }

  /// The caller's tape holds the flow's output and one [batch] log-determinant per top-level
  /// layer, whatever the depth; stored, it grows with every layer's activations.
  func testTheTapeDoesNotGrowWithDepth() {
    func tapeUse(steps: Int, reversible: Bool) -> (nodes: Int, scalars: Int) {
      let store = ParameterStore<Double>()
      let flow = MultiScaleArchitecture(style: .glow, levels: 2, steps: steps, width: 4, transform: .affine(.affineSigmoid),
                                        mixing: .conv1x1LU, actnorm: true, topPrior: .learned, splitPrior: .conditional)
        .build(eventShape: [2, 8, 8], parameters: store, seed: 1)
      store.initialize(seed: 1)
      let tape = Tape<Double>(parameters: store)
      let x = tape.constant(0.25, shape: [2, 2, 8, 8])
      let r = reversible ? ReversibleBackprop(parameters: store).forward(flow, x, features: nil)
        : flow.forwardLayers(x, condition: nil)
      tape.backward(from: r.output.sum() + r.logAbsDet.sum())
      XCTAssertTrue(store.gradients.contains { $0 != 0 }, "steps \(steps), reversible \(reversible): no gradient")
      return (tape.nodes.count, tape.arena.used)
    }
    let (reversible2, reversible8) = (tapeUse(steps: 2, reversible: true), tapeUse(steps: 8, reversible: true))
    // Each extra top-level layer adds one node, its [2] log-determinant (one 16-scalar arena slot).
    XCTAssertEqual(reversible8.nodes - reversible2.nodes, 3 * 6)
    XCTAssertEqual(reversible8.scalars - reversible2.scalars, 16 * (reversible8.nodes - reversible2.nodes))
    XCTAssertGreaterThan(tapeUse(steps: 8, reversible: false).scalars, 3 * tapeUse(steps: 2, reversible: false).scalars)
  }

  /// The layer-by-layer data-dependent init sets every actnorm (also inside the splits) exactly
  /// as the init on one tape does.
  func testDataDependentInitMatchesTheStoredOne() throws {
    func initialized(reversible: Bool) throws -> (before: [Double], after: [Double]) {
      let store = ParameterStore<Double>()
      let encoder = ImageEncoder("encoder", style: .plain, inChannels: 1, width: 2, depth: 1, levels: 16, parameters: store)
      let flow = MultiScaleArchitecture(style: .glow, levels: 2, steps: 2, width: 3, transform: .affine(.affineSigmoid),
                                        mixing: .conv1x1LU, actnorm: true, topPrior: .learned, splitPrior: .conditional)
        .build(eventShape: [1, 4, 4], parameters: store, seed: 1)
      let model = FlowModel(flow: flow, base: StandardNormal(), eventShape: [1, 4, 4], conditionShape: [1, 2, 2],
                            conditionEncoder: encoder)
      store.initialize(seed: 2)
      var rng = SeededGenerator(seed: 3)
      for i in store.values.indices { store.values[i] += Double.random(in: -0.3...0.3, using: &rng) }
      let before = Array(store.values)
      let tape = Tape<Double>(parameters: store)
      let x = tape.input(Tensor(shape: [3, 1, 4, 4], scalars: (0..<48).map { _ in Double.random(in: -1...1, using: &rng) }))
      let c = tape.input(Tensor(shape: [3, 1, 2, 2], scalars: (0..<12).map { _ in Double.random(in: 0...15, using: &rng) }))
      if reversible {
        try model.initializeDataDependent(from: x, condition: c, communicator: LocalCommunicator(),
                                          reversible: ReversibleBackprop(parameters: store))
      } else {
        try model.initializeDataDependent(from: x, condition: c, parameters: store, communicator: LocalCommunicator())
      }
      return (before, Array(store.values))
    }
    let stored = try initialized(reversible: false), reversible = try initialized(reversible: true)
    XCTAssertEqual(stored.after, reversible.after)
    XCTAssertGreaterThan(zip(stored.before, stored.after).filter { $0 != $1 }.count, 0, "the init changed nothing")
  }

  /// The layer-by-layer round trip reconstructs what the recorded one does, through every level.
  func testRoundTripWalksBackToTheInput() {
    for name in ["glow L=2 K=1, 1×1 conv LU, conditional split, learned top", "realnvp L=2 K=1, affine tanh",
                 "srflow ×2 L=2 K=1, bicubic skip, conditional priors"] {
      let f = layerFixtures.first { $0.name == name }!
      let inst = LayerFixtureTests.instantiate(f, seed: 21)
      let tape = Tape<Double>(parameters: inst.store)
      let x = tape.input(inst.x), c = inst.condition(on: tape)
      let (flow, input, features) = Self.flow(of: inst.layer as! any InvertibleFlowLayer, x, condition: c)
      let stored = flow.inverse(flow.forward(input, condition: features).output, condition: features).output.scalars
      let walked = ReversibleBackprop(parameters: inst.store).roundTrip(flow, input, features: features)
      XCTAssertEqual(walked.count, stored.count, name)
      XCTAssertLessThan(zip(walked, stored).map { abs($0 - $1) }.max() ?? .infinity, 1e-12, name)
      XCTAssertLessThan(zip(walked, input.scalars).map { abs($0 - $1) }.max() ?? .infinity, 1e-10, name)
    }
  }

  /// `FlowModel`'s reversible likelihood: the condition offset, the encoder and the base around
  /// the walked flow give the stored likelihood and gradients.
  func testModelLikelihoodWithOffsetAndEncoderMatchesTheStoredOne() {
    let f = layerFixtures.first { $0.name == "srflow ×2 L=2 K=1, bicubic skip, conditional priors" }!
    let inst = LayerFixtureTests.instantiate(f, seed: 31)
    let model = (inst.layer as! EncodedUnderTest).model
    XCTAssertNotNil(model.conditionOffset)
    func run(reversible: Bool) -> Gradients {
      let tape = Tape<Double>(parameters: inst.store)
      let x = tape.input(inst.x, requiresGradient: true), c = tape.input(inst.condition!, requiresGradient: true)
      let ll = reversible ? model.logLikelihoodWithLayers(x, condition: c, reversible: ReversibleBackprop(parameters: inst.store))
        : model.logLikelihoodWithLayers(x, condition: c)
      inst.store.zeroGradients()
      tape.backward(from: ll.logLikelihood.sum())
      return Gradients(output: ll.logLikelihood.scalars, logAbsDet: ll.layerLogAbsDets.flatMap(\.scalars),
                       input: Array(x.gradient!), condition: Array(c.gradient!), parameters: Array(inst.store.gradients))
    }
    XCTAssertEqual(Self.differences(run(reversible: false), run(reversible: true), tolerance: 1e-9), [])
  }
}
