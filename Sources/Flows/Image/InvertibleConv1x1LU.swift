import Autodiff
import TensorCore

/// An invertible 1×1 convolution with an LU-parameterized weight (`InvertibleLinear` applied to
/// every pixel's channel vector).
///
/// ```
/// W = P · L · (U + diag(sign · exp(logs))),   z[n, :, i, j] = W · x[n, :, i, j]
/// logAbsDet = H · W · Σ logs
/// ```
/// The forward is a 1×1 convolution with W; the inverse is exact and differentiable: two
/// triangular solves on the pixels laid out as rows [N·H·W, C].
/// Reference: Kingma & Dhariwal 2018 (Glow, LU-decomposed 1×1 convolution).
public struct InvertibleConv1x1LU: InvertibleFlowLayer {
  /// The per-pixel map; its parameters are this layer's.
  public let linear: InvertibleLinear

  /// The initial rotation is drawn from (`seed`, `index`) as for `InvertibleLinear`; `index` tells
  /// the layers of one model apart.
  public init<S: TensorScalar>(_ name: String, channels: Int, seed: UInt64, index: Int,
                               parameters: ParameterStore<S>) {
    linear = InvertibleLinear(name, dimension: channels, seed: seed, index: index, parameters: parameters)
  }

  public var channels: Int { linear.dimension }

  private func logAbsDet<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    x.zeroLogAbsDet() + x.tape.parameter(linear.logScale).sum().scaled(by: x.pixelCount)
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    checkShape(x.shape)
    let w = linear.weight(on: x.tape).reshaped(to: [channels, channels, 1, 1])
    return FlowResult(output: x.conv2d(w), logAbsDet: logAbsDet(x))
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    checkShape(z.shape)
    let s = z.shape
    let rows = z.transposed([0, 2, 3, 1]).reshaped(to: [s[0] * s[2] * s[3], channels])
    let x = linear.inverse(rows, condition: nil).output
      .reshaped(to: [s[0], s[2], s[3], channels]).transposed([0, 3, 1, 2])
    return FlowResult(output: x, logAbsDet: logAbsDet(z).negated())
  }

  private func checkShape(_ shape: Shape) {
    precondition(shape.rank == 4 && shape[1] == channels,
                 "1×1 convolution over \(channels) channels got input \(shape), expected [N, \(channels), H, W]")
  }
}
