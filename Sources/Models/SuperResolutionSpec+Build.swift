import Autodiff
import Flows
import TensorCore

extension SuperResolutionSpec {
  /// Builds the model for HR images of `eventShape` [C, H, W] given LR images of `levels` levels,
  /// registering the encoder's parameters, then the flow's, in order. Random structure (the LU
  /// rotations) is drawn from `seed`; no parameter depends on H or W, so models built for two
  /// sizes share one parameter layout.
  public func build<S: TensorScalar>(eventShape: Shape, conditionLevels: Int, parameters: ParameterStore<S>,
                                     seed: UInt64) -> FlowModel {
    precondition(problem(with: eventShape, conditionShape: conditionShape(for: eventShape)) == nil,
                 problem(with: eventShape, conditionShape: conditionShape(for: eventShape))!)
    let encoder = ImageEncoder("encoder", style: self.encoder, inChannels: eventShape[0], width: encoderWidth,
                               depth: encoderDepth, levels: conditionLevels, parameters: parameters)
    var builder = SuperResolutionBuilder(spec: self, parameters: parameters, seed: seed)
    return FlowModel(flow: InvertibleFlowSequence(builder.level(0, channels: eventShape[0])), base: StandardNormal(),
                     eventShape: eventShape, conditionShape: conditionShape(for: eventShape),
                     conditionEncoder: encoder,
                     conditionOffset: skip == .bicubic ? BicubicUpscaling(scale: scale, levels: conditionLevels) : nil)
  }

  /// The L1 warm start of the encoder (`encoder_warm_start` steps), its head registered after
  /// everything `build` registers; nil without one.
  public func warmStart<S: TensorScalar>(channels: Int, parameters: ParameterStore<S>) -> EncoderWarmStart? {
    guard encoderWarmStart > 0 else { return nil }
    return EncoderWarmStart("warm_start", steps: encoderWarmStart, channels: channels, scale: scale,
                            featureChannels: encoderWidth, parameters: parameters)
  }
}

/// Builds the levels of a `SuperResolutionSpec`, numbering the LU rotations so that each draws
/// its own stream. Every conditional layer reads the encoder's F features, resized by nearest
/// neighbour to its own resolution.
struct SuperResolutionBuilder<S: TensorScalar> {
  let spec: SuperResolutionSpec
  let parameters: ParameterStore<S>
  let seed: UInt64
  private var nextIndex = 0

  init(spec: SuperResolutionSpec, parameters: ParameterStore<S>, seed: UInt64) {
    self.spec = spec
    self.parameters = parameters
    self.seed = seed
  }

  /// Level i and every deeper one on `channels`-channel input: squeeze, K steps, split or top prior,
  /// unsqueeze.
  mutating func level(_ i: Int, channels: Int) -> [any InvertibleFlowLayer] {
    let c = 4 * channels, f = spec.encoderWidth
    var layers: [any InvertibleFlowLayer] = [Squeeze()]
    for k in 0..<spec.steps { layers += step("level\(i).step\(k)", channels: c) }
    if i < spec.levels - 1 {
      let kept = c / 2, factored = c - c / 2
      let prior: FactoredPrior = spec.splitPrior == .standardNormal ? .standardNormal : .conditionalOnFeatures(
        Conv2D("level\(i).split.prior", inChannels: kept + f, outChannels: 2 * factored, kernel: 3,
               zeroInitialized: true, parameters: parameters), featureChannels: f)
      let inner = level(i + 1, channels: kept)
      layers.append(FactorOut(channels: c, prior: prior, inner: InvertibleFlowSequence(inner)))
    } else if spec.topPrior == .conditional {
      layers.append(FeaturePrior("level\(i).prior", channels: c, featureChannels: f, parameters: parameters))
    }
    layers.append(Inverted(Squeeze()))
    return layers
  }

  /// actnorm → 1×1 conv (LU) → affine injector → conditional affine coupling.
  private mutating func step(_ name: String, channels c: Int) -> [any InvertibleFlowLayer] {
    let index = nextIndex
    nextIndex += 1
    var layers: [any InvertibleFlowLayer] = [
      ActNorm("\(name).actnorm", channels: c, parameters: parameters),
      InvertibleConv1x1LU("\(name).conv1x1", channels: c, seed: seed, index: index, parameters: parameters),
    ]
    if spec.injector {
      layers.append(AffineInjector("\(name).injector", channels: c, featureChannels: spec.encoderWidth,
                                   width: spec.width, parameters: parameters))
    }
    layers.append(ImageCoupling("\(name).coupling", channels: c, mask: .channel, parity: 0, width: spec.width,
                                transform: .affineSigmoid, featureChannels: spec.encoderWidth,
                                parameters: parameters))
    return layers
  }
}
