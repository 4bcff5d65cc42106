import Autodiff
import TensorCore

/// A multilayer perceptron `inputs → hidden… → outputs` with the last layer zero-initialized.
public struct MLP: Sendable {
  public let layers: [Dense]
  public let activation: Activation

  public init<S: TensorScalar>(
    _ name: String, inputs: Int, hidden: [Int], outputs: Int, activation: Activation = .relu,
    parameters: ParameterStore<S>
  ) {
    let widths = [inputs] + hidden + [outputs]
    layers = (0..<(widths.count - 1)).map { i in
      Dense("\(name).\(i)", inputs: widths[i], outputs: widths[i + 1],
            zeroInitialized: i == widths.count - 2, parameters: parameters)
    }
    self.activation = activation
  }

  /// [batch, inputs] → [batch, outputs]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    var h = x
    for (i, layer) in layers.enumerated() {
      h = layer(h, activation: i < layers.count - 1 ? activation : nil)
    }
    return h
  }
}
