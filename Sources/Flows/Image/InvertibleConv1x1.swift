import Autodiff
import TensorCore

/// An invertible 1×1 convolution with an unconstrained weight: each pixel's channel vector is
/// multiplied by W.
///
/// ```
/// z[n, :, i, j] = W · x[n, :, i, j],   logAbsDet = H · W · log|det W|
/// ```
/// log|det W| is an LU in Float64 on every call (O(C³), small next to the convolution); the
/// inverse convolves with W⁻¹ (from a Float64 LU as well), differentiably. W starts as a random
/// rotation. Reference: Kingma & Dhariwal 2018 (Glow), §3.2.
public struct InvertibleConv1x1: InvertibleFlowLayer {
  public let channels: Int
  /// [C, C]
  public let weight: ParameterSlice

  public init<S: TensorScalar>(_ name: String, channels: Int, parameters: ParameterStore<S>) {
    precondition(channels >= 1, "a 1×1 convolution needs at least one channel, got \(channels)")
    self.channels = channels
    weight = parameters.add("\(name).weight", shape: [channels, channels], initializer: .orthogonal)
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    checkShape(x.shape)
    let w = x.tape.parameter(weight)
    let z = x.conv2d(w.reshaped(to: [channels, channels, 1, 1]))
    return FlowResult(output: z, logAbsDet: x.zeroLogAbsDet() + w.logAbsDeterminant().scaled(by: x.pixelCount))
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    checkShape(z.shape)
    let w = z.tape.parameter(weight)
    let x = z.conv2d(w.matrixInverse().reshaped(to: [channels, channels, 1, 1]))
    return FlowResult(output: x, logAbsDet: z.zeroLogAbsDet() + w.logAbsDeterminant().scaled(by: -z.pixelCount))
  }

  private func checkShape(_ shape: Shape) {
    precondition(shape.rank == 4 && shape[1] == channels,
                 "1×1 convolution over \(channels) channels got input \(shape), expected [N, \(channels), H, W]")
  }
}

extension Variable {
  /// H · W of an image batch [N, C, H, W], as a scale factor.
  var pixelCount: S { S(shape[2] * shape[3]) }
}
