import Autodiff
import TensorCore

extension ImageCoupling {
  /// The forward pass recorded from the layer's output z, for reversible backprop: the input's
  /// channel parts as leaves that need a gradient, in channel order, and the recorded forward
  /// result. nil for a checkerboard mask, whose kept half is not a channel block.
  ///
  /// ```
  /// x_a = z_a,   h = NN(x_a),   x_b = g⁻¹(z_b; h)   (values only),   z = (x_a, g(x_b; h))
  /// ```
  /// The inverse and the recomputed forward share one evaluation of the conditioner, which is
  /// most of the layer's work; the inverse's ops hang off h but reach no output, so backward
  /// skips them.
  func forward<S: TensorScalar>(reconstructingFrom z: Variable<S>, condition: Variable<S>?)
    -> (inputParts: [Variable<S>], result: FlowResult<S>)?
  {
    guard mask == .channel else { return nil }
    precondition(z.shape.rank == 4 && z.shape[1] == channels,
                 "coupling over \(channels) channels got output \(z.shape), expected [N, \(channels), H, W]")
    let tape = z.tape
    let (first, second) = z.split(alongAxis: 1, at: parity == 0 ? channels / 2 : channels - channels / 2)
    let (za, zb) = parity == 0 ? (first, second) : (second, first)
    let xa = tape.input(za.value, shape: za.shape, requiresGradient: true)
    let h = network(xa, condition: condition)
    let reconstructed = couple(zb, h, update: nil, inverse: true).output
    let xb = tape.input(reconstructed.value, shape: reconstructed.shape, requiresGradient: true)
    let (yb, logDet) = couple(xb, h, update: nil, inverse: false)
    let output = parity == 0 ? xa.concatenated(with: yb, alongAxis: 1) : yb.concatenated(with: xa, alongAxis: 1)
    return (parity == 0 ? [xa, xb] : [xb, xa],
            FlowResult(output: output, logAbsDet: logDet?.sumPerExample() ?? z.zeroLogAbsDet()))
  }
}
