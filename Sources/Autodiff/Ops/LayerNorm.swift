import TensorCore

extension Variable {
  /// Layer normalization along `axis` (the channels of an NCHW image), without a learned affine:
  /// ```
  /// y = (x − mean_axis(x)) / √(var_axis(x) + ε)
  /// ```
  /// A composite of broadcasting primitives. Reference: Ba et al. 2016.
  public func layerNormalized(alongAxis axis: Int = 1, epsilon: S = 1e-5) -> Variable {
    let centered = self - mean(alongAxes: [axis], keepingDimensions: true)
    let variance = centered.square().mean(alongAxes: [axis], keepingDimensions: true)
    return centered / (variance + epsilon).sqrt()
  }

  /// The softmax along `axis`, computed as `exp(x − logSumExp(x))` so it stays finite.
  public func softmax(alongAxis axis: Int) -> Variable {
    (self - logSumExp(alongAxis: axis, keepingDimensions: true)).exp()
  }
}
