import Autodiff
import TensorCore

extension Variable {
  /// Nearest-neighbour resize of feature maps [N, F, h, w] to [N, F, height, width] when one side
  /// is an integer multiple of the other (PyTorch's `F.interpolate(mode: "nearest")`).
  ///
  /// ```
  /// up by f:    y[n, c, f·i + dy, f·j + dx] = x[n, c, i, j]
  /// down by f:  y[n, c, i, j] = x[n, c, f·i, f·j]
  /// ```
  /// Both are a gather of channels around a squeeze, so the gradient flows back through the
  /// existing rules: repeating each channel f² times and unsqueezing copies it over its block;
  /// squeezing and keeping the first of every f² channels keeps each block's top-left pixel.
  public func resizedNearest(height: Int, width: Int) -> Variable {
    precondition(shape.rank == 4, "nearest resize takes [N, F, h, w] features, got \(shape)")
    let (channels, h, w) = (shape[1], shape[2], shape[3])
    if h == height && w == width { return self }
    if height > h {
      let f = height / h
      precondition(height == f * h && width == f * w,
                   "cannot upsample \(h)×\(w) features to \(height)×\(width): not one integer factor")
      let repeated = (0..<channels).flatMap { Array(repeating: $0, count: f * f) }
      return gathered(indices: repeated, alongAxis: 1).unsqueezed(factor: f)
    }
    let f = h / height
    precondition(h == f * height && w == f * width,
                 "cannot downsample \(h)×\(w) features to \(height)×\(width): not one integer factor")
    return squeezed(factor: f).gathered(indices: (0..<channels).map { $0 * f * f }, alongAxis: 1)
  }

  /// The features `condition` [N, F, h, w] at the resolution of `self` [N, C, H, W].
  func features(_ condition: Variable?, channels: Int, layer: String) -> Variable {
    guard let condition else { preconditionFailure("\(layer) needs image features [N, \(channels), h, w]") }
    precondition(condition.shape.rank == 4 && condition.shape[0] == shape[0] && condition.shape[1] == channels,
                 "\(layer) reads features [\(shape[0]), \(channels), h, w], got \(condition.shape)")
    return condition.resizedNearest(height: shape[2], width: shape[3])
  }
}
