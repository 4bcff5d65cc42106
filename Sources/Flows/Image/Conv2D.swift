import Autodiff
import TensorCore

/// A 2-D convolution layer with bias and "same" zero padding on NCHW images.
public struct Conv2D: Sendable {
  /// [outChannels, inChannels, kernel, kernel]
  public let weight: ParameterSlice
  /// [outChannels]
  public let bias: ParameterSlice
  public let kernel: Int

  /// Weights and biases are uniform in ±1/√(inChannels · kernel²) (PyTorch's default), or zero
  /// when `zeroInitialized`, so that the layer's output starts at exactly 0.
  public init<S: TensorScalar>(
    _ name: String, inChannels: Int, outChannels: Int, kernel: Int, zeroInitialized: Bool = false,
    parameters: ParameterStore<S>
  ) {
    precondition(kernel % 2 == 1, "'same' padding needs an odd kernel, got \(kernel)")
    let bound = 1 / Double(inChannels * kernel * kernel).squareRoot()
    let initializer: ParameterInitializer = zeroInitialized ? .zeros : .uniform(bound: bound)
    weight = parameters.add("\(name).weight", shape: [outChannels, inChannels, kernel, kernel],
                            initializer: initializer)
    bias = parameters.add("\(name).bias", shape: [outChannels], initializer: initializer)
    self.kernel = kernel
  }

  /// [batch, inChannels, H, W] → [batch, outChannels, H, W], either side CNHW ([channels, batch,
  /// H, W]) instead when its layout says so.
  public func callAsFunction<S: TensorScalar>(
    _ x: Variable<S>, inputLayout: ImageLayout = .nchw, outputLayout: ImageLayout = .nchw
  ) -> Variable<S> {
    let tape = x.tape
    return x.conv2d(tape.parameter(weight), bias: tape.parameter(bias),
                    window: ConvolutionWindow(padding: kernel / 2), inputLayout: inputLayout,
                    outputLayout: outputLayout)
  }
}
