import Autodiff
import Collectives
import Flows
import Models
import TensorCore
import XCTest
import _TestSupport

/// Sampling, temperature, interpolation and data-dependent init through multi-scale image flows.
final class ImageSamplingTests: XCTestCase {
  /// A small Glow with every parameter moved away from its initial value (so that priors and
  /// couplings are not the identity).
  func glow(splitPrior: SplitPrior = .conditional, seed: UInt64 = 1) -> (FlowModel, ParameterStore<Double>) {
    let store = ParameterStore<Double>()
    let architecture = MultiScaleArchitecture(style: .glow, levels: 2, steps: 2, width: 4, transform: .affine(.affineSigmoid),
                                              mixing: .conv1x1LU, actnorm: true, topPrior: .learned,
                                              splitPrior: splitPrior)
    let flow = architecture.build(eventShape: [1, 4, 4], parameters: store, seed: 3)
    perturb(store, seed: seed)
    return (FlowModel(flow: InvertibleFlowSequence(flow.layers), base: StandardNormal(), eventShape: [1, 4, 4]), store)
  }

  func perturb(_ store: ParameterStore<Double>, seed: UInt64) {
    store.initialize(seed: seed)
    var rng = SeededGenerator(seed: seed)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.2...0.2, using: &rng) }
  }

  func testTemperatureZeroIsDeterministicAndDecodesTheZeroLatent() {
    let (model, store) = glow()
    let tape = Tape<Double>(parameters: store)
    let a = model.sample(count: 3, on: tape, temperature: 0, noise: RandomStream(seed: 1, purpose: .sampling))
    let b = model.sample(count: 3, on: tape, temperature: 0, noise: RandomStream(seed: 2, purpose: .sampling))
    let zero = model.decode(tape.constant(0, shape: [3, 1, 4, 4]))
    XCTAssertEqual(a.scalars, b.scalars)
    XCTAssertEqual(a.scalars, zero.scalars)
    // The learned priors and the conditional split prior make that mode differ from 0.
    XCTAssertGreaterThan(a.scalars.map(abs).max()!, 0.05)
    let c = model.sample(count: 3, on: tape, temperature: 1, noise: RandomStream(seed: 1, purpose: .sampling))
    XCTAssertNotEqual(a.scalars, c.scalars)
  }

  /// Noise is keyed by example index: the same examples drawn in two pieces (as two ranks would)
  /// equal one draw.
  func testSamplesDependOnExampleIndexNotOnBatching() {
    let (model, store) = glow()
    let tape = Tape<Double>(parameters: store)
    let noise = RandomStream(seed: 9, purpose: .sampling)
    let whole = model.sample(count: 4, on: tape, temperature: 0.7, noise: noise).scalars
    let tail = model.sample(count: 2, on: tape, temperature: 0.7, noise: noise, firstExample: 2).scalars
    XCTAssertEqual(Array(whole[32...]), tail)
  }

  /// Samples through a split with a conditional prior: given the kept channels z_a, the
  /// factored channels are μ(z_a) + σ(z_a)·T·ε, so their standardized values have std T.
  func testTemperatureScalesTheConditionalSplitPrior() {
    let store = ParameterStore<Double>()
    let prior = FactoredPrior.conditional(Conv2D("p", inChannels: 2, outChannels: 4, kernel: 3, parameters: store))
    let split = FactorOut(channels: 4, prior: prior, inner: InvertibleFlowSequence([]))
    perturb(store, seed: 5)
    let model = FlowModel(flow: InvertibleFlowSequence([split]), base: StandardNormal(), eventShape: [4, 2, 2])
    for temperature in [0.5, 1.5] {
      let tape = Tape<Double>(parameters: store)
      let x = model.sample(count: 2000, on: tape, temperature: temperature,
                           noise: RandomStream(seed: 4, purpose: .sampling))
      let (za, zb) = x.split(alongAxis: 1, at: 2)
      let (mean, logStd) = prior.meanAndLogStd(given: za, factoredChannels: 2)!
      XCTAssertGreaterThan(logStd.scalars.map(abs).max()!, 0.1, "the prior's σ must vary for this test")
      let standardized = ((zb - mean) * logStd.negated().exp()).scalars
      XCTAssertEqual(standardDeviation(standardized), temperature, accuracy: 0.02 * temperature)
      XCTAssertEqual(standardDeviation(za.scalars), temperature, accuracy: 0.02 * temperature)
    }
  }

  func standardDeviation(_ v: [Double]) -> Double {
    let mean = v.reduce(0, +) / Double(v.count)
    return (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
  }

  func testInterpolationStartsAndEndsAtItsEndpoints() {
    let (model, store) = glow()
    let tape = Tape<Double>(parameters: store)
    var rng = SeededGenerator(seed: 12)
    func image() -> Variable<Double> {
      tape.input(Tensor(shape: [2, 1, 4, 4], scalars: (0..<32).map { _ in Double.random(in: -0.5...0.5, using: &rng) }))
    }
    let x0 = image(), x1 = image()
    for path in InterpolationPath.allCases {
      let strip = model.interpolate(from: x0, to: x1, count: 5, path: path).scalars
      XCTAssertEqual(strip.count, 2 * 5 * 16)
      for p in 0..<2 {
        for i in 0..<16 {
          XCTAssertEqual(strip[(p * 5) * 16 + i], x0.value[p * 16 + i], accuracy: 1e-9, "\(path) pair \(p)")
          XCTAssertEqual(strip[(p * 5 + 4) * 16 + i], x1.value[p * 16 + i], accuracy: 1e-9, "\(path) pair \(p)")
        }
      }
    }
    // The linear midpoint decodes the mean latent.
    let mid = model.interpolate(from: x0, to: x1, count: 3, path: .linear).scalars
    let z = (model.encode(x0) + model.encode(x1)).scaled(by: 0.5)
    let expected = model.decode(z).scalars
    for i in 0..<16 { XCTAssertEqual(mid[16 + i], expected[i], accuracy: 1e-9) }
  }

  func testRoundTripErrorIsSmallInFloat32AndNilWithoutInverse() {
    let (model, double) = glow()
    // The same architecture registers the same slices, so `model` runs on this Float32 copy.
    let float = ParameterStore<Float>()
    _ = MultiScaleArchitecture(style: .glow, levels: 2, steps: 2, width: 4, transform: .affine(.affineSigmoid),
                               mixing: .conv1x1LU, actnorm: true, topPrior: .learned, splitPrior: .conditional)
      .build(eventShape: [1, 4, 4], parameters: float, seed: 3)
    for i in double.values.indices { float.values[i] = Float(double.values[i]) }
    let tape = Tape<Float>(parameters: float)
    let x = tape.input(Tensor(shape: [4, 1, 4, 4], scalars: (0..<64).map { Float($0 % 17) / 17 - 0.5 }))
    let error = model.roundTripError(x)
    XCTAssertGreaterThan(error, 0, "Float32 rounding should show")
    XCTAssertLessThan(error, 1e-5)
  }

  func testSphericalWeightsFollowTheGreatCircle() {
    // Orthogonal unit latents: the midpoint weights are cos 45° each, so the norm stays 1.
    let (a, b) = InterpolationPath.spherical.weights(t: 0.5, dot: 0, norm0: 1, norm1: 1)
    XCTAssertEqual(a, 0.5.squareRoot(), accuracy: 1e-12)
    XCTAssertEqual(b, 0.5.squareRoot(), accuracy: 1e-12)
    let (c, d) = InterpolationPath.spherical.weights(t: 0.25, dot: 1, norm0: 1, norm1: 1)
    XCTAssertEqual(c, 0.75)
    XCTAssertEqual(d, 0.25)
  }

  /// The actnorms inside a split's inner flow are initialized from the kept channels.
  func testDataDependentInitReachesInsideSplits() throws {
    let store = ParameterStore<Double>()
    let split = FactorOut(channels: 4, prior: .standardNormal,
                          inner: InvertibleFlowSequence([ActNorm("inner", channels: 2, parameters: store)]))
    let flow = InvertibleFlowSequence([ActNorm("outer", channels: 4, parameters: store), split])
    var rng = SeededGenerator(seed: 3)
    let tape = Tape<Double>(parameters: store)
    let x = tape.input(Tensor(shape: [16, 4, 2, 2], scalars: (0..<256).map { _ in 3 + 2 * Double.random(in: -1...1, using: &rng) }))
    try flow.initializeDataDependent(from: x, condition: nil, parameters: store, communicator: LocalCommunicator())
    let inner = store.values(of: store.slice(named: "inner.logs")!)
    XCTAssertTrue(inner.allSatisfy { $0 != 0 }, "inner actnorm was not initialized")
    // Kept channels after the outer actnorm are standardized already, so the inner one starts
    // near the identity; its output has zero mean and unit variance per channel.
    let z = flow.forward(x).output.scalars
    for c in 0..<2 {
      let v = (0..<16).flatMap { n in (0..<4).map { z[(n * 4 + c) * 4 + $0] } }
      XCTAssertEqual(v.reduce(0, +) / 64, 0, accuracy: 1e-9)
      XCTAssertEqual(standardDeviation(v), 1, accuracy: 1e-5)
    }
  }

  func testSqueezeLayerChangesShapeAndKeepsVolume() {
    let tape = Tape<Double>()
    let x = tape.input(Tensor(shape: [2, 3, 4, 6], scalars: (0..<144).map(Double.init)))
    let r = Squeeze().forward(x)
    XCTAssertEqual(r.output.shape, [2, 12, 2, 3])
    XCTAssertEqual(r.logAbsDet.scalars, [0, 0])
    XCTAssertEqual(Squeeze().inverse(r.output).output.scalars, x.scalars)
  }

  /// Float32 log|det W| of a 1×1 convolution agrees with Float64: the LU runs in Float64 either way.
  func testPlainConvolutionLogDeterminantIsAccurateInFloat32() {
    let double = ParameterStore<Double>(), float = ParameterStore<Float>()
    let a = InvertibleConv1x1("w", channels: 24, parameters: double)
    let b = InvertibleConv1x1("w", channels: 24, parameters: float)
    perturb(double, seed: 8)
    for i in double.values.indices { float.values[i] = Float(double.values[i]) }
    let doubleTape = Tape<Double>(parameters: double), floatTape = Tape<Float>(parameters: float)
    let exact = a.forward(doubleTape.constant(1, shape: [1, 24, 8, 8])).logAbsDet.scalars[0]
    let single = b.forward(floatTape.constant(1, shape: [1, 24, 8, 8])).logAbsDet.scalars[0]
    XCTAssertEqual(Double(single), exact, accuracy: 1e-7 * max(1, abs(exact)), "exact \(exact)")
  }
}
