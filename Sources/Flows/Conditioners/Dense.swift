import Autodiff
import TensorCore

/// A fully connected layer `y = x · W + b`.
public struct Dense: Sendable {
  /// [inputs, outputs]
  public let weight: ParameterSlice
  /// [outputs]
  public let bias: ParameterSlice

  /// Registers the layer's parameters; `zeroInitialized` makes the output start at exactly 0,
  /// so a coupling layer built on it starts as the identity.
  public init<S: TensorScalar>(
    _ name: String, inputs: Int, outputs: Int, zeroInitialized: Bool = false,
    parameters: ParameterStore<S>
  ) {
    weight = parameters.add("\(name).weight", shape: [inputs, outputs],
                            initializer: zeroInitialized ? .zeros : .glorot(fanIn: inputs, fanOut: outputs))
    bias = parameters.add("\(name).bias", shape: [outputs])
  }

  /// [batch, inputs] → [batch, outputs]
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    let tape = x.tape
    return x.matmul(tape.parameter(weight)) + tape.parameter(bias)
  }
}
