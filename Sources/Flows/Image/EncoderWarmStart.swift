import Autodiff
import TensorCore

/// The L1 warm start of a super-resolution model's condition encoder, SRFlow's pre-training of
/// its encoder as a regression network: for the first `steps` training steps a head on the
/// features predicts the HR image and only the L1 error trains, so the flow then starts from
/// features that already describe the HR image.
///
/// ```
/// x̂ = m(c) + depthToSpace_s(conv3×3(features)),   loss = Σ_j |x_j − x̂_j|   per example
/// ```
/// with m the model's condition offset (0 without one) and s the scale; the head is
/// zero-initialized, so the first prediction is the offset. The head's parameters stay in the
/// store after the warm start (a checkpoint holds them) but nothing reads them any more.
public struct EncoderWarmStart: Sendable {
  /// Training steps 0 ..< steps are warm-start steps.
  public let steps: Int
  public let scale: Int
  /// F → C·scale²: every HR pixel's channels from its LR pixel's features and neighbours.
  public let head: Conv2D

  public init<S: TensorScalar>(_ name: String, steps: Int, channels: Int, scale: Int, featureChannels: Int,
                               parameters: ParameterStore<S>) {
    precondition(steps >= 1 && scale >= 2 && scale & (scale - 1) == 0, "a warm start needs steps ≥ 1 and a power-of-2 scale")
    self.steps = steps
    self.scale = scale
    head = Conv2D("\(name).head", inChannels: featureChannels, outChannels: channels * scale * scale, kernel: 3,
                  zeroInitialized: true, parameters: parameters)
  }

  /// Whether training step `step` trains by the L1 error.
  public func covers(step: Int) -> Bool { step < steps }

  /// [batch] Σ_j |x_j − x̂_j| of model-space HR images `x` [N, C, H, W] and their conditions.
  public func absoluteErrors<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>,
                                              model: FlowModel) -> Variable<S> {
    guard let features = model.features(condition, batch: x.shape[0]) else {
      preconditionFailure("an encoder warm start needs a conditional model")
    }
    // Depth-to-space by the whole scale at once; which head channel lands where is the head's to learn.
    let residual = head(features).unsqueezed(factor: scale)
    precondition(residual.shape == x.shape, "the warm-start head predicts \(residual.shape) for HR images \(x.shape)")
    return (x - model.absolute(residual, from: condition)).abs().sumPerExample()
  }
}
