import Autodiff
import TensorCore

/// A coupling layer on images [batch, C, H, W]: the entries selected by the mask pass through and
/// condition a convolutional network that transforms the others.
///
/// ```
/// channel mask:       (x_a, x_b) = channel halves,  h = NN(x_a),  z = (x_a, g(x_b; h))
/// checkerboard mask:  x_a = m ⊙ x,  h = NN(x_a),  z = x_a + (1 − m) ⊙ g(x; h)
/// Glow's g(x_b; h) = (x_b + t) · sigmoid(h_s + 2),   logAbsDet = Σ log sigmoid(h_s + 2)
/// ```
/// A conditional coupling (`featureChannels` > 0, channel mask) appends image features
/// [N, F, h, w], resized to the input's resolution, to the conditioner's input: h = NN(x_a ‖ f),
/// SRFlow's conditional affine coupling.
/// The network is `ConvConditioner` (zero-initialized output). The checkerboard follows the
/// masked formulation of `VectorCoupling`. Reference: Dinh et al. 2017 (RealNVP); Kingma &
/// Dhariwal 2018 (Glow); Lugmayr et al. 2020 (SRFlow).
public struct ImageCoupling: InvertibleFlowLayer {
  public let channels: Int
  public let mask: ImageMask
  public let parity: Int
  public let transform: CouplingTransform
  public let conditioner: ConvConditioner
  /// F, the channels of the condition's features the conditioner reads; 0 for an unconditional layer.
  public let featureChannels: Int

  public init<S: TensorScalar>(
    _ name: String, channels: Int, mask: ImageMask, parity: Int, width: Int,
    transform: CouplingTransform, featureChannels: Int = 0, parameters: ParameterStore<S>
  ) {
    precondition(mask == .checkerboard || channels >= 2,
                 "a channel-mask coupling needs at least 2 channels, got \(channels)")
    precondition(featureChannels == 0 || mask == .channel, "only channel-mask couplings read features")
    self.featureChannels = featureChannels
    self.channels = channels
    self.mask = mask
    self.parity = parity % 2
    self.transform = transform
    let perChannel = transform == .additive ? 1 : 2
    // A channel mask conditions on ⌊C/2⌋ channels whatever the parity (see `apply`).
    let (conditioning, updated) = mask == .checkerboard ? (channels, channels) : (channels / 2, channels - channels / 2)
    conditioner = ConvConditioner(name, inChannels: conditioning + featureChannels, width: width,
                                  outChannels: perChannel * updated, parameters: parameters)
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
    let output: Variable<S>, logScale: Variable<S>?
    switch mask {
    case .channel:
      let (first, second) = x.split(alongAxis: 1, at: parity == 0 ? channels / 2 : channels - channels / 2)
      let (xa, xb) = parity == 0 ? (first, second) : (second, first)
      let input = featureChannels == 0 ? xa : xa.concatenated(
        with: x.features(condition, channels: featureChannels, layer: "a conditional coupling"), alongAxis: 1)
      let (zb, s) = transform.couple(xb, conditioner(input), update: nil, inverse: inverse)
      output = parity == 0 ? xa.concatenated(with: zb, alongAxis: 1) : zb.concatenated(with: xa, alongAxis: 1)
      logScale = s
    case .checkerboard:
      let (keep, update) = checkerboard(height: x.shape[2], width: x.shape[3], on: x.tape)
      let xa = x * keep
      let (zb, s) = transform.couple(x * update, conditioner(xa), update: update, inverse: inverse)
      output = xa + zb
      logScale = s
    }
    guard let logScale else { return FlowResult(output: output, logAbsDet: x.zeroLogAbsDet()) }
    let logAbsDet = logScale.sumPerExample()
    return FlowResult(output: output, logAbsDet: inverse ? logAbsDet.negated() : logAbsDet)
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
