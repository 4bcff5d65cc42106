import Autodiff
import Flows
import Graphics
import TensorCore

/// The bicubic upscaling of a low-resolution image, in the model space of centred dequantized
/// images: the offset a super-resolution flow (`skip: bicubic`) models HR relative to.
///
/// ```
/// m(c) = (B_H · c · B_Wᵀ + ½) / levels − ½        per channel plane, c in levels [N, C, h, w]
/// ```
/// B are Pillow's bicubic resize matrices (`Resampling.bicubicMatrix`, the weights the
/// degradation and the bicubic baseline use), so the flow starts at — and learns the residual to
/// — the baseline it is judged against. The products are on the tape: the offset is
/// differentiable in c like every other use of the condition. The shift matches the data's
/// centring (y = (x + u)/levels − ½), so an HR image equal to the upscaling has residual ≈ 0.
public struct BicubicUpscaling: ConditionOffset {
  public let scale: Int
  /// Levels of the images (256 for 8-bit).
  public let levels: Int

  public init(scale: Int, levels: Int) {
    precondition(scale >= 1 && levels >= 2, "bicubic upscaling needs a scale ≥ 1 and at least 2 levels")
    self.scale = scale
    self.levels = levels
  }

  public func offset<S: TensorScalar>(_ condition: Variable<S>) -> Variable<S> {
    precondition(condition.shape.rank == 4, "bicubic upscaling reads images [N, C, h, w], got \(condition.shape)")
    let (n, c, h, w) = (condition.shape[0], condition.shape[1], condition.shape[2], condition.shape[3])
    let (H, W) = (h * scale, w * scale)
    let across = matrix(from: w, to: W, on: condition.tape), down = matrix(from: h, to: H, on: condition.tape)
    // Along rows: [N·C·h, w] · B_Wᵀ; then along columns, on the transposed planes.
    let rows = condition.reshaped(to: [n * c * h, w]).matmul(across, transposeB: true)
    let columns = rows.reshaped(to: [n * c, h, W]).transposed([0, 2, 1]).reshaped(to: [n * c * W, h])
      .matmul(down, transposeB: true)
    let upscaled = columns.reshaped(to: [n * c, W, H]).transposed([0, 2, 1]).reshaped(to: [n, c, H, W])
    return upscaled.scaled(by: 1 / S(levels)) + S(0.5 / Double(levels) - 0.5)
  }

  private func matrix<S: TensorScalar>(from input: Int, to output: Int, on tape: Tape<S>) -> Variable<S> {
    let values = Resampling.bicubicMatrix(from: input, to: output).map { S($0) }
    return values.withUnsafeBufferPointer { tape.input($0, shape: [output, input]) }
  }
}
