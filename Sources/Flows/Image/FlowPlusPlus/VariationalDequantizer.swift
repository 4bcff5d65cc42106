import Autodiff
import TensorCore

/// The sizes of a variational dequantizer, as a config gives them.
public struct VariationalDequantizerOptions: Sendable, Equatable {
  /// Mixture-logistic couplings on alternating checkerboards.
  public var couplings: Int
  /// Hidden channels of the feature network and of the couplings' conditioners.
  public var width: Int
  /// K of each coupling's logistic mixture.
  public var components: Int

  public init(couplings: Int = 4, width: Int = 32, components: Int = 4) {
    self.couplings = couplings
    self.width = width
    self.components = components
  }
}

/// Flow++'s variational dequantization noise distribution q(u | x), a conditional flow:
/// ```
/// ε ~ N(0, I)^D,   h = features(x̃),   z = g(ε; h),   u = σ(z) ∈ (0, 1)^D
/// log q(u | x) = log N(ε) − log|det ∂z/∂ε| − Σ_j [log σ(z_j) + log σ(−z_j)]
/// ```
/// g is `couplings` mixture-logistic checkerboard couplings whose conditioners read h beside
/// their own half; the features are a small convolutional network of the levels scaled to
/// x̃ = (x + ½)/bins − ½. Trained jointly with the model through the dequantization ELBO
/// `log P(x) ≥ E_q[log p((x + u)/bins) − D·ln(bins) − log q(u | x)]`.
/// Reference: Ho et al. 2019 (Flow++), §3.2.
public struct VariationalDequantizer: Sendable {
  public let options: VariationalDequantizerOptions
  /// [C, H, W] of the examples.
  public let eventShape: Shape
  public let features: ConvConditioner
  public let flow: InvertibleFlowSequence

  public init<S: TensorScalar>(_ name: String, eventShape: Shape, options: VariationalDequantizerOptions,
                               parameters: ParameterStore<S>) {
    precondition(eventShape.rank == 3, "variational dequantization takes [C, H, W] images, got \(eventShape)")
    precondition(options.couplings >= 1 && options.width >= 1 && options.components >= 1,
                 "variational dequantizer sizes must be ≥ 1, got \(options)")
    self.options = options
    self.eventShape = eventShape
    let c = eventShape[0], featureChannels = options.width
    // Not zero-initialized: the couplings must see informative features from the first step.
    features = ConvConditioner("\(name).features", inChannels: c, width: options.width, outChannels: featureChannels,
                               parameters: parameters, zeroInitializedOutput: false)
    flow = InvertibleFlowSequence((0..<options.couplings).map { k in
      ImageCoupling("\(name).coupling\(k)", channels: c, mask: .checkerboard, parity: k,
                    transform: .mixtureLogistic(components: options.components), network: .conv,
                    width: options.width, imageSize: (eventShape[1], eventShape[2]),
                    featureChannels: featureChannels, parameters: parameters)
    })
  }

  /// u [N, C, H, W] in (0, 1) and log q(u | x) [N] for base noise ε and the levels x (both
  /// [N, C, H, W]) of data with `bins` levels.
  public func sample<S: TensorScalar>(noise epsilon: Variable<S>, levels x: Variable<S>, bins: Int)
    -> (u: Variable<S>, logDensity: Variable<S>)
  {
    precondition(epsilon.shape == x.shape && Array(x.shape.dimensions.dropFirst()) == eventShape.dimensions,
                 "dequantizer for \(eventShape) got noise \(epsilon.shape) and levels \(x.shape)")
    let h = features((x + 0.5).scaled(by: S(1 / Double(bins))) - 0.5)
    let r = flow.forward(epsilon, condition: h)
    let squash = (r.output.logSigmoid() + r.output.negated().logSigmoid()).sumPerExample()
    let logDensity = StandardNormal().logProbability(epsilon, condition: nil) - r.logAbsDet - squash
    return (r.output.sigmoid(), logDensity)
  }
}
