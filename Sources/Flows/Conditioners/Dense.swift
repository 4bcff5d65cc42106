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
  ///
  /// Otherwise weights and biases are uniform in ±1/√inputs (the usual default for dense layers).
  /// Random biases matter here: with zero biases every ReLU of the first layer kinks at the same
  /// input, and a conditioner of one or two coordinates starts out nearly linear.
  public init<S: TensorScalar>(
    _ name: String, inputs: Int, outputs: Int, zeroInitialized: Bool = false,
    parameters: ParameterStore<S>
  ) {
    let bound = 1 / Double(inputs).squareRoot()
    weight = parameters.add("\(name).weight", shape: [inputs, outputs],
                            initializer: zeroInitialized ? .zeros : .uniform(bound: bound))
    bias = parameters.add("\(name).bias", shape: [outputs],
                          initializer: zeroInitialized ? .zeros : .uniform(bound: bound))
  }

  /// [batch, inputs] → [batch, outputs], followed by `activation` if given (one fused op).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, activation: Activation? = nil) -> Variable<S> {
    let tape = x.tape
    return tape.dense(x, weight: tape.parameter(weight), bias: tape.parameter(bias),
                      activation: activation?.function, parameter: activation?.parameter(S.self) ?? 0)
  }
}
