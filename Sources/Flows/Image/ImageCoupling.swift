import Autodiff
import TensorCore

/// A coupling layer on images [batch, C, H, W]: the entries selected by the mask pass through and
/// condition a convolutional network that transforms the others.
///
/// ```
/// channel mask:       (x_a, x_b) = channel halves,  h = NN(x_a),  z = (x_a, g(x_b; h))
/// checkerboard mask:  x_a = m ⊙ x,  h = NN(x_a),  z = x_a + (1 − m) ⊙ g(x; h)
/// Glow's g(x_b; h) = (x_b + t) · sigmoid(h_s + 2),   logAbsDet = Σ log sigmoid(h_s + 2)
/// Flow++'s g(x_b; h) = σ⁻¹(Σ_k π_k σ((x_b − μ_k)e^{−s_k}))·e^a + b     (`MixtureLogisticCDF`)
/// ```
/// The network is `ConvConditioner` or `GatedResidualConditioner` (zero-initialized output).
/// A conditional coupling (`featureChannels` > 0) appends condition features [N, F, h, w],
/// nearest-resized to the input's resolution, to the conditioner's input: h = NN(x_a ‖ f)
/// (SRFlow's conditional affine coupling; q(u | x)'s couplings in Flow++). The checkerboard follows the
/// masked formulation of `VectorCoupling`. Reference: Dinh et al. 2017 (RealNVP); Kingma &
/// Dhariwal 2018 (Glow); Lugmayr et al. 2020 (SRFlow).
public struct ImageCoupling: InvertibleFlowLayer {
  public let channels: Int
  public let mask: ImageMask
  public let parity: Int
  public let transform: ImageCouplingTransform
  public let conditioner: any ImageConditioner
  /// F, the channels of the condition's features the conditioner reads; 0 for an unconditional layer.
  public let featureChannels: Int

  /// A coupling with Glow's convolutional conditioner of `width` hidden channels.
  public init<S: TensorScalar>(
    _ name: String, channels: Int, mask: ImageMask, parity: Int, width: Int,
    transform: CouplingTransform, featureChannels: Int = 0, parameters: ParameterStore<S>
  ) {
    self.init(name, channels: channels, mask: mask, parity: parity, transform: .affine(transform),
              network: .conv, width: width, imageSize: (1, 1), featureChannels: featureChannels,
              parameters: parameters)
  }

  /// - Parameters:
  ///   - width: hidden channels of the conditioner network.
  ///   - imageSize: (H, W) of the inputs, which attention's position embeddings need.
  ///   - featureChannels: channels of a per-example condition [batch, F, H, W] appended to the
  ///     conditioner's input (0: the coupling reads no condition).
  public init<S: TensorScalar>(
    _ name: String, channels: Int, mask: ImageMask, parity: Int, transform: ImageCouplingTransform,
    network: ConditionerNetwork, width: Int, imageSize: (height: Int, width: Int), featureChannels: Int = 0,
    parameters: ParameterStore<S>
  ) {
    precondition(mask == .checkerboard || channels >= 2,
                 "a channel-mask coupling needs at least 2 channels, got \(channels)")
    self.channels = channels
    self.mask = mask
    self.parity = parity % 2
    self.transform = transform
    self.featureChannels = featureChannels
    // A channel mask conditions on ⌊C/2⌋ channels whatever the parity (see `apply`).
    let (conditioning, updated) = mask == .checkerboard ? (channels, channels) : (channels / 2, channels - channels / 2)
    conditioner = network.make(name, inChannels: conditioning + featureChannels, hidden: width,
                               outChannels: transform.outputsPerChannel * updated, height: imageSize.height,
                               width: imageSize.width, parameters: parameters)
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    apply(x, condition: condition, inverse: false)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    apply(z, condition: condition, inverse: true)
  }

  /// Both directions: the conditioning part is the same on either side of the layer.
  private func apply<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?, inverse: Bool) -> FlowResult<S> {
    precondition(x.shape.rank == 4 && x.shape[1] == channels,
                 "coupling over \(channels) channels got input \(x.shape), expected [N, \(channels), H, W]")
    func network(_ xa: Variable<S>) -> Variable<S> { self.network(xa, condition: condition) }
    let output: Variable<S>, logDet: Variable<S>?
    switch mask {
    case .channel:
      let (first, second) = x.split(alongAxis: 1, at: parity == 0 ? channels / 2 : channels - channels / 2)
      let (xa, xb) = parity == 0 ? (first, second) : (second, first)
      let (zb, d) = couple(xb, network(xa), update: nil, inverse: inverse)
      output = parity == 0 ? xa.concatenated(with: zb, alongAxis: 1) : zb.concatenated(with: xa, alongAxis: 1)
      logDet = d
    case .checkerboard:
      let (keep, update) = checkerboard(height: x.shape[2], width: x.shape[3], on: x.tape)
      let xa = x * keep
      let (zb, d) = couple(x * update, network(xa), update: update, inverse: inverse)
      output = xa + zb
      logDet = d
    }
    guard let logDet else { return FlowResult(output: output, logAbsDet: x.zeroLogAbsDet()) }
    return FlowResult(output: output, logAbsDet: logDet.sumPerExample())
  }

  /// The conditioner's output h = NN(x_a), or NN(x_a ‖ f) with the condition's features.
  func network<S: TensorScalar>(_ xa: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    guard featureChannels > 0 else { return conditioner(xa) }
    let features = xa.features(condition, channels: featureChannels, layer: "a conditional coupling")
    return conditioner(xa.concatenated(with: features, alongAxis: 1))
  }

  /// The transformed half and its per-entry log-determinant in the direction taken (nil when
  /// volume-preserving); `update` masks both where a checkerboard passes the input through.
  func couple<S: TensorScalar>(_ xb: Variable<S>, _ h: Variable<S>, update: Variable<S>?, inverse: Bool)
    -> (output: Variable<S>, logDet: Variable<S>?)
  {
    switch transform {
    case .affine(let affine):
      let (zb, s) = affine.couple(xb, h, update: update, inverse: inverse)
      return (zb, inverse ? s?.negated() : s)
    case .mixtureLogistic(let k):
      let cdf = MixtureLogisticCDF(components: k)
      let p = cdf.parameters(h, channels: xb.shape[1])
      var out: Variable<S>, logDet: Variable<S>
      if inverse {
        // Bisection gives x₀ as a constant; one Newton step x = x₀ − (f(x₀; θ) − y)/f'(x₀) with
        // the slope held constant has the value x₀ (to the bisection's tolerance) and the
        // implicit-function gradients dx/dy = 1/f', dx/dθ = −(∂f/∂θ)/f', so an inverted
        // mixture coupling trains too. Its log-determinant is minus the forward one at x.
        let x0 = cdf.inverse(xb, p)
        let (y0, slope) = cdf.forward(x0, p)
        let x = x0 - (y0 - xb) / xb.tape.input(slope.value, shape: slope.shape).exp()
        out = x
        logDet = cdf.forward(x, p).logDet.negated()
      } else {
        (out, logDet) = cdf.forward(xb, p)
      }
      guard let update else { return (out, logDet) }
      return (out * update, logDet * update)
    }
  }

  /// [H, W] masks: 1 where the pixel passes through, and its complement.
  private func checkerboard<S: TensorScalar>(height: Int, width: Int, on tape: Tape<S>)
    -> (keep: Variable<S>, update: Variable<S>)
  {
    let keep = tape.constant(0, shape: [height, width]), update = tape.constant(1, shape: [height, width])
    let k = tape.nodes[Int(keep.id)].value, u = tape.nodes[Int(update.id)].value
    for i in 0..<height {
      for j in 0..<width where (i + j + parity) % 2 == 0 {
        k[i * width + j] = 1
        u[i * width + j] = 0
      }
    }
    return (keep, update)
  }
}
