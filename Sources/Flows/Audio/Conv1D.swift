import Autodiff
import TensorCore

/// A 1-D convolution layer with bias and "same" zero padding on [batch, channels, time].
public struct Conv1D: Sendable {
  /// [outChannels, inChannels, kernel]
  public let weight: ParameterSlice
  /// [outChannels]
  public let bias: ParameterSlice
  public let kernel: Int
  public let dilation: Int

  /// Weights and biases are uniform in ±1/√(inChannels · kernel) (PyTorch's default), or zero
  /// when `zeroInitialized`, so that the layer's output starts at exactly 0.
  public init<S: TensorScalar>(
    _ name: String, inChannels: Int, outChannels: Int, kernel: Int = 1, dilation: Int = 1,
    zeroInitialized: Bool = false, parameters: ParameterStore<S>
  ) {
    precondition(kernel % 2 == 1 && dilation >= 1, "'same' padding needs an odd kernel, got \(kernel)")
    let bound = 1 / Double(inChannels * kernel).squareRoot()
    let initializer: ParameterInitializer = zeroInitialized ? .zeros : .uniform(bound: bound)
    weight = parameters.add("\(name).weight", shape: [outChannels, inChannels, kernel], initializer: initializer)
    bias = parameters.add("\(name).bias", shape: [outChannels], initializer: initializer)
    self.kernel = kernel
    self.dilation = dilation
  }

  /// [batch, inChannels, T] → [batch, outChannels, T]
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    let tape = x.tape
    return x.conv1d(tape.parameter(weight), bias: tape.parameter(bias), padding: dilation * (kernel - 1) / 2,
                    dilation: dilation)
  }
}
