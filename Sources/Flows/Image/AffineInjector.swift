import Autodiff
import TensorCore

/// SRFlow's affine injector: every channel is scaled and shifted by amounts computed from the
/// condition's features alone, so the map stays invertible whatever the features are.
///
/// ```
/// (h_s, t) = NN(resize(features)),   z = (x + t) · sigmoid(h_s + 2),   logAbsDet = Σ log sigmoid(h_s + 2)
/// ```
/// NN is a `ConvConditioner` with a zero-initialized output, so the layer starts as a fixed
/// scale of sigmoid(2) per entry. Reference: Lugmayr et al. 2020 (SRFlow), §3.2.
public struct AffineInjector: InvertibleFlowLayer {
  public let channels: Int
  /// F, the channels of the features it reads (resized to its input's resolution).
  public let featureChannels: Int
  public let conditioner: ConvConditioner

  public init<S: TensorScalar>(
    _ name: String, channels: Int, featureChannels: Int, width: Int, parameters: ParameterStore<S>
  ) {
    self.channels = channels
    self.featureChannels = featureChannels
    conditioner = ConvConditioner(name, inChannels: featureChannels, width: width, outChannels: 2 * channels,
                                  parameters: parameters)
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    apply(x, condition: condition, inverse: false)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    apply(z, condition: condition, inverse: true)
  }

  private func apply<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?, inverse: Bool) -> FlowResult<S> {
    precondition(x.shape.rank == 4 && x.shape[1] == channels,
                 "affine injector over \(channels) channels got input \(x.shape), expected [N, \(channels), H, W]")
    let h = conditioner(x.features(condition, channels: featureChannels, layer: "the affine injector"))
    let (z, logScale) = CouplingTransform.affineSigmoid.couple(x, h, update: nil, inverse: inverse)
    let logAbsDet = logScale!.sumPerExample()
    return FlowResult(output: z, logAbsDet: inverse ? logAbsDet.negated() : logAbsDet)
  }
}
