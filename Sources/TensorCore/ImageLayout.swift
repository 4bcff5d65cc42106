/// Memory order of a batch of images with pixels [height, width] contiguous per plane.
public enum ImageLayout: Int, Hashable, Sendable {
  /// [batch, channels, height, width]: each image's planes together (PyTorch's order).
  case nchw
  /// [channels, batch, height, width]: each channel of the whole batch is one row, so a block of
  /// consecutive images is a [channels, count · pixels] matrix that GEMM reads and writes in place.
  /// Layers between two convolutions keep this order to skip the regrouping NCHW needs.
  case cnhw

  /// Distances between planes: plane (image b, channel c) starts at `b · image + c · channel`.
  public func planeStrides(batch: Int, channels: Int, pixels: Int) -> (image: Int, channel: Int) {
    switch self {
    case .nchw: (channels * pixels, pixels)
    case .cnhw: (pixels, batch * pixels)
    }
  }

  /// The shape of a tensor in this layout from its NCHW shape [batch, channels, …], and back:
  /// swapping the first two axes is its own inverse.
  public func arranged(_ shape: Shape) -> Shape {
    guard self == .cnhw else { return shape }
    var s = shape
    s[0] = shape[1]
    s[1] = shape[0]
    return s
  }
}
