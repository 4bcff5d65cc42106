import TensorCore

extension Variable {
  /// Concatenated ELU: ELU of x and of −x side by side along `axis`, which doubles that axis.
  /// ```
  /// concatELU(x) = [elu(x), elu(−x)]
  /// ```
  /// Both signs survive the nonlinearity, so no half of the pre-activation is lost.
  /// Reference: Shang et al. 2016; Salimans et al. 2017 (PixelCNN++); Ho et al. 2019 (Flow++).
  public func concatELU(alongAxis axis: Int = 1) -> Variable {
    concatenated(with: negated(), alongAxis: axis).elu()
  }
}
