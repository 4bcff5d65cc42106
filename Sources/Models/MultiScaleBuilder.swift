import Autodiff
import Flows
import TensorCore

/// Builds the levels of a `MultiScaleArchitecture`, numbering the layers that draw random
/// structure so that each gets its own stream.
struct MultiScaleBuilder<S: TensorScalar> {
  let architecture: MultiScaleArchitecture
  let parameters: ParameterStore<S>
  let seed: UInt64
  private var nextIndex = 0

  init(architecture: MultiScaleArchitecture, parameters: ParameterStore<S>, seed: UInt64) {
    self.architecture = architecture
    self.parameters = parameters
    self.seed = seed
  }

  /// The layers of level `i` and every deeper one, for input [C, H, W] = `shape`.
  mutating func level(_ i: Int, shape: Shape) -> [any InvertibleFlowLayer] {
    switch architecture.style {
    case .glow: return glowLevel(i, shape: shape)
    case .realnvp: return realNVPLevel(i, shape: shape)
    }
  }

  private mutating func glowLevel(_ i: Int, shape: Shape) -> [any InvertibleFlowLayer] {
    let c = 4 * shape[0], squeezed: Shape = [c, shape[1] / 2, shape[2] / 2]
    var layers: [any InvertibleFlowLayer] = [Squeeze()]
    for k in 0..<architecture.steps {
      layers += glowStep("level\(i).step\(k)", shape: squeezed)
    }
    layers += deeper(i, shape: squeezed)
    layers.append(Inverted(Squeeze()))
    return layers
  }

  private mutating func realNVPLevel(_ i: Int, shape: Shape) -> [any InvertibleFlowLayer] {
    let last = i == architecture.levels - 1
    var layers: [any InvertibleFlowLayer] = []
    for k in 0..<(last ? architecture.steps + 1 : architecture.steps) {
      layers += coupling("level\(i).checkerboard\(k)", shape: shape, mask: .checkerboard, parity: k)
    }
    guard !last else { return layers + deeper(i, shape: shape) }
    let c = 4 * shape[0]
    layers.append(Squeeze())
    for k in 0..<architecture.steps {
      layers += coupling("level\(i).channel\(k)", shape: [c, shape[1] / 2, shape[2] / 2], mask: .channel, parity: k)
    }
    layers += deeper(i, shape: [c, shape[1] / 2, shape[2] / 2])
    layers.append(Inverted(Squeeze()))
    return layers
  }

  /// After level i's transforms on [C, H, W]: the split into level i + 1, or the top prior.
  private mutating func deeper(_ i: Int, shape: Shape) -> [any InvertibleFlowLayer] {
    let c = shape[0]
    guard i < architecture.levels - 1 else {
      guard architecture.topPrior == .learned else { return [] }
      return [LearnedPrior("level\(i).prior", eventShape: shape, parameters: parameters)]
    }
    let kept = c / 2, factored = c - c / 2
    let prior: FactoredPrior
    switch architecture.splitPrior {
    case .standardNormal:
      prior = .standardNormal
    case .learned:
      prior = .learned(LearnedPrior("level\(i).split.prior", eventShape: [factored, shape[1], shape[2]],
                                    parameters: parameters))
    case .conditional:
      prior = .conditional(Conv2D("level\(i).split.prior", inChannels: kept, outChannels: 2 * factored,
                                  kernel: 3, zeroInitialized: true, parameters: parameters))
    }
    let inner = level(i + 1, shape: [kept, shape[1], shape[2]])
    return [FactorOut(channels: c, prior: prior, inner: InvertibleFlowSequence(inner))]
  }

  /// actnorm → channel mixing → channel coupling.
  private mutating func glowStep(_ name: String, shape: Shape) -> [any InvertibleFlowLayer] {
    let c = shape[0]
    var layers: [any InvertibleFlowLayer] = []
    if architecture.actnorm { layers.append(ActNorm("\(name).actnorm", channels: c, parameters: parameters)) }
    let index = nextIndex
    nextIndex += 1
    switch architecture.mixing {
    case .reverse: layers.append(Permutation(.reverse, dimension: c, seed: seed, index: index))
    case .random: layers.append(Permutation(.random, dimension: c, seed: seed, index: index))
    case .conv1x1: layers.append(InvertibleConv1x1("\(name).conv1x1", channels: c, parameters: parameters))
    case .conv1x1LU:
      layers.append(InvertibleConv1x1LU("\(name).conv1x1", channels: c, seed: seed, index: index, parameters: parameters))
    }
    layers.append(imageCoupling("\(name).coupling", shape: shape, mask: .channel, parity: 0))
    return layers
  }

  /// An optional actnorm, then a coupling (RealNVP alternates `parity`).
  private func coupling(_ name: String, shape: Shape, mask: ImageMask, parity: Int) -> [any InvertibleFlowLayer] {
    var layers: [any InvertibleFlowLayer] = []
    if architecture.actnorm { layers.append(ActNorm("\(name).actnorm", channels: shape[0], parameters: parameters)) }
    layers.append(imageCoupling("\(name).coupling", shape: shape, mask: mask, parity: parity))
    return layers
  }

  /// A coupling on [C, H, W] with the architecture's transform and conditioner.
  private func imageCoupling(_ name: String, shape: Shape, mask: ImageMask, parity: Int) -> ImageCoupling {
    ImageCoupling(name, channels: shape[0], mask: mask, parity: parity, transform: architecture.transform,
                  network: architecture.conditioner, width: architecture.width, imageSize: (shape[1], shape[2]),
                  parameters: parameters)
  }
}
