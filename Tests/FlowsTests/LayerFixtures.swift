import Autodiff
import Configuration
import Flows
import Models
import TensorCore

/// One entry of the layer fixture table: how to build the layer and the shape of one input batch.
/// Adding a layer to the library means adding one line to `layerFixtures`; it then gets every
/// test in `LayerFixtureTests`.
struct LayerFixture: @unchecked Sendable {
  let name: String
  /// [batch, …]
  let inputShape: Shape
  /// [batch, …] of the condition a conditional layer reads; nil for an unconditional layer.
  let conditionShape: Shape?
  let build: (ParameterStore<Double>) -> any FlowLayer

  init(_ name: String, _ inputShape: Shape, condition conditionShape: Shape? = nil,
       _ build: @escaping (ParameterStore<Double>) -> any FlowLayer) {
    self.name = name
    self.inputShape = inputShape
    self.conditionShape = conditionShape
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
  LayerFixture("conditional coupling affine tanh", [3, 4], condition: [3, 2]) {
    VectorCoupling("c", dimension: 4, parity: 0, hidden: [5], transform: .affineTanh, conditionFeatures: 2,
                   parameters: $0)
  },
  LayerFixture("conditional coupling additive, odd dimension", [2, 3], condition: [2, 3]) {
    VectorCoupling("c", dimension: 3, parity: 1, hidden: [4, 4], transform: .additive, conditionFeatures: 3,
                   parameters: $0)
  },
  LayerFixture("conditional sequence: actnorm, couplings, reverse", [3, 4], condition: [3, 2]) { p in
    InvertibleFlowSequence([
      ActNorm("a", channels: 4, parameters: p),
      VectorCoupling("c0", dimension: 4, parity: 0, hidden: [5], transform: .affineSigmoid, conditionFeatures: 2,
                     parameters: p),
      Permutation(.reverse, dimension: 4, seed: 1, index: 0),
      VectorCoupling("c1", dimension: 4, parity: 1, hidden: [5], transform: .affineExp, conditionFeatures: 2,
                     parameters: p),
    ])
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
  LayerFixture("squeeze, actnorm, unsqueeze", [2, 1, 4, 4]) { p in
    InvertibleFlowSequence([Squeeze(), ActNorm("a", channels: 4, parameters: p), Inverted(Squeeze())])
  },
  LayerFixture("1×1 conv", [2, 3, 2, 2]) { InvertibleConv1x1("w", channels: 3, parameters: $0) },
  LayerFixture("inverted 1×1 conv", [2, 3, 2, 2]) { Inverted(InvertibleConv1x1("w", channels: 3, parameters: $0)) },
  LayerFixture("1×1 conv LU", [2, 4, 2, 2]) { InvertibleConv1x1LU("w", channels: 4, seed: 2, index: 0, parameters: $0) },
  LayerFixture("inverted 1×1 conv LU", [2, 3, 2, 3]) {
    Inverted(InvertibleConv1x1LU("w", channels: 3, seed: 2, index: 1, parameters: $0))
  },
  LayerFixture("channel permutation", [2, 4, 2, 2]) { _ in Permutation(.random, dimension: 4, seed: 3, index: 0) },
  LayerFixture("image coupling channel affine sigmoid", [2, 4, 3, 3]) {
    ImageCoupling("c", channels: 4, mask: .channel, parity: 0, width: 3, transform: .affineSigmoid, parameters: $0)
  },
  LayerFixture("image coupling channel additive, parity 1, odd channels", [2, 3, 2, 3]) {
    ImageCoupling("c", channels: 3, mask: .channel, parity: 1, width: 2, transform: .additive, parameters: $0)
  },
  LayerFixture("image coupling checkerboard affine tanh", [2, 2, 3, 4]) {
    ImageCoupling("c", channels: 2, mask: .checkerboard, parity: 0, width: 3, transform: .affineTanh, parameters: $0)
  },
  LayerFixture("image coupling checkerboard affine exp, parity 1", [2, 1, 4, 4]) {
    ImageCoupling("c", channels: 1, mask: .checkerboard, parity: 1, width: 2, transform: .affineExp, parameters: $0)
  },
  LayerFixture("inverted image coupling checkerboard affine sigmoid", [2, 2, 2, 2]) {
    Inverted(ImageCoupling("c", channels: 2, mask: .checkerboard, parity: 1, width: 2, transform: .affineSigmoid,
                           parameters: $0))
  },
  LayerFixture("learned prior", [2, 2, 2, 3]) { LearnedPrior("p", eventShape: [2, 2, 3], parameters: $0) },
  LayerFixture("factor-out, standard normal, inner actnorm", [2, 4, 2, 2]) { p in
    FactorOut(channels: 4, prior: .standardNormal,
              inner: InvertibleFlowSequence([ActNorm("a", channels: 2, parameters: p)]))
  },
  LayerFixture("factor-out, learned prior, empty inner, odd channels", [2, 3, 2, 2]) { p in
    FactorOut(channels: 3, prior: .learned(LearnedPrior("p", eventShape: [2, 2, 2], parameters: p)),
              inner: InvertibleFlowSequence([]))
  },
  LayerFixture("factor-out, conditional prior, inner coupling", [2, 4, 3, 3]) { p in
    FactorOut(channels: 4, prior: .conditional(Conv2D("p", inChannels: 2, outChannels: 4, kernel: 3, parameters: p)),
              inner: InvertibleFlowSequence([
                ImageCoupling("c", channels: 2, mask: .channel, parity: 0, width: 2, transform: .affineSigmoid, parameters: p),
              ]))
  },
  LayerFixture("glow L=2 K=1, 1×1 conv LU, conditional split, learned top", [2, 1, 4, 4]) {
    MultiScaleArchitecture(style: .glow, levels: 2, steps: 1, width: 2, transform: .affine(.affineSigmoid), mixing: .conv1x1LU,
                           actnorm: true, topPrior: .learned, splitPrior: .conditional)
      .build(eventShape: [1, 4, 4], parameters: $0, seed: 1)
  },
  LayerFixture("glow L=2 K=2, 1×1 conv, additive, learned split", [2, 2, 4, 4]) {
    MultiScaleArchitecture(style: .glow, levels: 2, steps: 2, width: 4, transform: .affine(.additive), mixing: .conv1x1,
                           actnorm: false, topPrior: .standardNormal, splitPrior: .learned)
      .build(eventShape: [2, 4, 4], parameters: $0, seed: 1)
  },
  LayerFixture("realnvp L=2 K=1, affine tanh", [2, 1, 4, 4]) {
    MultiScaleArchitecture(style: .realnvp, levels: 2, steps: 1, width: 4, transform: .affine(.affineTanh), mixing: .reverse,
                           actnorm: true, topPrior: .standardNormal, splitPrior: .conditional)
      .build(eventShape: [1, 4, 4], parameters: $0, seed: 1)
  },
  LayerFixture("affine injector, features upsampled ×2", [2, 4, 4, 4], condition: [2, 3, 2, 2]) {
    AffineInjector("i", channels: 4, featureChannels: 3, width: 3, parameters: $0)
  },
  LayerFixture("conditional image coupling, features downsampled ×2", [2, 4, 2, 2], condition: [2, 3, 4, 4]) {
    ImageCoupling("c", channels: 4, mask: .channel, parity: 0, width: 3, transform: .affineSigmoid,
                  featureChannels: 3, parameters: $0)
  },
  LayerFixture("feature prior, features downsampled ×2", [2, 3, 2, 2], condition: [2, 2, 4, 4]) {
    FeaturePrior("p", channels: 3, featureChannels: 2, parameters: $0)
  },
  LayerFixture("factor-out, feature-conditional prior, inner conditional coupling", [2, 4, 2, 2],
               condition: [2, 2, 2, 2]) { p in
    FactorOut(channels: 4, prior: .conditionalOnFeatures(Conv2D("p", inChannels: 4, outChannels: 4, kernel: 3, parameters: p),
                                                         featureChannels: 2),
              inner: InvertibleFlowSequence([
                ImageCoupling("c", channels: 2, mask: .channel, parity: 0, width: 2, transform: .affineSigmoid,
                              featureChannels: 2, parameters: p),
              ]))
  },
  LayerFixture("srflow ×2 L=2 K=1, residual encoder, injector, conditional priors", [2, 1, 8, 8],
               condition: [2, 1, 4, 4]) {
    EncodedUnderTest(model: srflow(scale: 2, encoder: .residual, injector: true, priors: .conditional, parameters: $0))
  },
  LayerFixture("srflow ×4 L=2 K=1, plain encoder, no injector, standard normal priors", [2, 1, 8, 8],
               condition: [2, 1, 2, 2]) {
    EncodedUnderTest(model: srflow(scale: 4, encoder: .plain, injector: false, priors: .standardNormal, parameters: $0))
  },
  LayerFixture("planar (generative direction)", [3, 4]) { GenerativeUnderTest(Planar("p", dimension: 4, parameters: $0)) },
  LayerFixture("planar, IAF, planar (generative direction)", [3, 3]) { p in
    GenerativeUnderTest(GenerativeSequence([
      Planar("p0", dimension: 3, parameters: p),
      GenerativeDirection(MaskedAutoregressiveFlow.inverseAutoregressive("i", dimension: 3, hidden: [4], parameters: p)),
      Planar("p1", dimension: 3, parameters: p),
    ]))
  },
  // Audio folded to [N, C, 1, T] goes through Glow's 1×1 convolution unchanged.
  LayerFixture("audio fold, 1×1 conv, unfold", [2, 1, 8]) { p in
    InvertibleFlowSequence([AudioFold(groups: 4), InvertibleConv1x1("w", channels: 4, parameters: p),
                            Inverted(AudioFold(groups: 4))])
  },
  LayerFixture("audio coupling (WN 2 layers)", [2, 4, 1, 3], condition: [2, 3, 3]) {
    AudioCoupling("c", channels: 4, conditionChannels: 3, layers: 2, width: 3, parameters: $0)
  },
  LayerFixture("inverted audio coupling, odd channels", [2, 3, 1, 4], condition: [2, 2, 4]) {
    Inverted(AudioCoupling("c", channels: 3, conditionChannels: 2, layers: 3, width: 2, parameters: $0))
  },
  // A tiny WaveGlow: mel [2 bands, 5 frames] upsampled (hop 4, kernel 8), trimmed to 16 samples and
  // folded by 4; two flows, one early output of 2 channels.
  LayerFixture("waveglow with mel upsampler, early output", [2, 1, 16], condition: [2, 2, 5]) { p in
    let encoder = MelUpsampler("up", bands: 2, kernel: 8, hop: 4, groups: 4, samples: 16, parameters: p)
    let inner = InvertibleFlowSequence([
      InvertibleConv1x1("f1.w", channels: 2, parameters: p),
      AudioCoupling("f1.c", channels: 2, conditionChannels: 8, layers: 2, width: 2, parameters: p),
    ])
    return EncodedConditionUnderTest(layer: InvertibleFlowSequence([
      AudioFold(groups: 4),
      InvertibleConv1x1("f0.w", channels: 4, parameters: p),
      AudioCoupling("f0.c", channels: 4, conditionChannels: 8, layers: 2, width: 2, parameters: p),
      FactorOut(channels: 4, keptChannels: 2, prior: .standardNormal, inner: inner),
      Inverted(AudioFold(groups: 4)),
    ]), encoder: encoder)
  },
  // Wide enough that the 48 → 48 hidden layer takes MaskedDense's prefix-mask path (3 runs of 16).
  LayerFixture("MAF 48-48, order 2,0,3,1", [2, 4]) {
    MaskedAutoregressiveFlow("m", dimension: 4, hidden: [48, 48], order: [2, 0, 3, 1], parameters: $0)
  },
  // Flow++ (issue 10): logistic-mixture CDF couplings, the gated residual conditioner with
  // attention (dropout is the identity without step noise), a coupling reading a condition.
  LayerFixture("image coupling checkerboard mixture logistic K=3", [2, 2, 3, 4]) {
    ImageCoupling("c", channels: 2, mask: .checkerboard, parity: 1, transform: .mixtureLogistic(components: 3),
                  network: .conv, width: 3, imageSize: (3, 4), parameters: $0)
  },
  LayerFixture("image coupling channel mixture logistic K=2, gated residual, attention", [2, 4, 2, 2]) {
    ImageCoupling("c", channels: 4, mask: .channel, parity: 0, transform: .mixtureLogistic(components: 2),
                  network: .gatedResidual(blocks: 1, heads: 2, dropout: 0.3), width: 4, imageSize: (2, 2),
                  parameters: $0)
  },
  LayerFixture("conditional checkerboard mixture logistic K=2 (condition channels)", [2, 1, 4, 4],
               condition: [2, 2, 4, 4]) {
    ImageCoupling("c", channels: 1, mask: .checkerboard, parity: 0, transform: .mixtureLogistic(components: 2),
                  network: .conv, width: 2, imageSize: (4, 4), featureChannels: 2, parameters: $0)
  },
  LayerFixture("inverted image coupling channel mixture logistic K=1", [2, 3, 2, 2]) {
    Inverted(ImageCoupling("c", channels: 3, mask: .channel, parity: 1, transform: .mixtureLogistic(components: 1),
                           network: .conv, width: 2, imageSize: (2, 2), parameters: $0))
  },
  LayerFixture("glow L=2 K=1, mixture logistic, gated residual without attention", [2, 1, 4, 4]) {
    MultiScaleArchitecture(style: .glow, levels: 2, steps: 1, width: 2, transform: .mixtureLogistic(components: 2),
                           conditioner: .gatedResidual(blocks: 1, heads: 0, dropout: 0), mixing: .conv1x1LU,
                           actnorm: true, topPrior: .standardNormal, splitPrior: .conditional)
      .build(eventShape: [1, 4, 4], parameters: $0, seed: 1)
  },
  // Appended, so the rows above keep their seeds (each row's seed follows its index).
  LayerFixture("srflow ×2 L=2 K=1, bicubic skip, conditional priors", [2, 1, 8, 8], condition: [2, 1, 4, 4]) {
    EncodedUnderTest(model: srflow(scale: 2, encoder: .residual, injector: true, priors: .conditional, skip: .bicubic,
                                   parameters: $0))
  },
]

/// A small super-resolution flow (2 levels of 1 step, width 4, 3 features) for the table.
func srflow(scale: Int, encoder: ImageEncoder.Style, injector: Bool, priors: SuperResolutionSpec.Prior,
            skip: SuperResolutionSpec.Skip = .none, parameters: ParameterStore<Double>) -> FlowModel {
  let yaml = """
    family: srflow
    scale: \(scale)
    levels: 2
    steps: 1
    width: 4
    injector: \(injector)
    prior: \(priors.rawValue)
    split_prior: \(priors.rawValue)
    encoder: \(encoder.rawValue)
    encoder_width: 3
    encoder_depth: 2
    skip: \(skip.rawValue)
    """
  let spec = try! SuperResolutionSpec(config: Config(yaml: yaml, source: "fixture").root)
  return spec.build(eventShape: [1, 8, 8], conditionLevels: 2, parameters: parameters, seed: 1)
}
