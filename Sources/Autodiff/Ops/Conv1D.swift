import TensorCore

extension Tape {
  /// 1-D cross-correlation over time of input [batch, inC, time] with weight [outC, inC, k], plus
  /// bias [outC]: [batch, outC, outTime] (PyTorch's `conv1d`). Runs the 2-D kernel with height 1.
  ///
  /// With stride 1, `padding = dilation · (k − 1) / 2` keeps the length (WaveGlow's layers).
  public func conv1d(_ input: Variable<S>, _ weight: Variable<S>, bias: Variable<S>? = nil,
                     stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Variable<S> {
    precondition(input.shape.rank == 3 && weight.shape.rank == 3,
                 "conv1d takes input [batch, channels, time] and weight [out, in, k], "
                   + "got \(input.shape) and \(weight.shape)")
    return recordConvolution(input, weight, bias: bias,
                             window: .temporal(stride: stride, padding: padding, dilation: dilation))
  }
}

extension Variable {
  /// `conv1d(self, weight, bias:)`, see `Tape.conv1d`.
  public func conv1d(_ weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0,
                     dilation: Int = 1) -> Variable {
    tape.conv1d(self, weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
  }
}
