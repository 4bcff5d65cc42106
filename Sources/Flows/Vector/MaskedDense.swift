import Autodiff
import TensorCore

/// A fully connected layer whose weight is multiplied by a fixed 0/1 mask: `y = x · (W ⊙ M) + b`.
///
/// Masked entries of W get zero gradients, so they never move and never matter.
public struct MaskedDense: Sendable {
  /// [inputs, outputs]
  public let weight: ParameterSlice
  /// [outputs]
  public let bias: ParameterSlice
  /// [inputs, outputs] row-major, 1 where input j may feed output k.
  public let mask: [Double]

  public init<S: TensorScalar>(
    _ name: String, inputs: Int, outputs: Int, mask: [Double], zeroInitialized: Bool = false,
    parameters: ParameterStore<S>
  ) {
    precondition(mask.count == inputs * outputs,
                 "mask has \(mask.count) entries for a \(inputs)×\(outputs) weight")
    // The same start as `Dense`: uniform ±1/√inputs for weights and biases.
    let bound = 1 / Double(inputs).squareRoot()
    weight = parameters.add("\(name).weight", shape: [inputs, outputs],
                            initializer: zeroInitialized ? .zeros : .uniform(bound: bound))
    bias = parameters.add("\(name).bias", shape: [outputs],
                          initializer: zeroInitialized ? .zeros : .uniform(bound: bound))
    self.mask = mask
  }

  /// [batch, inputs] → [batch, outputs], followed by `activation` if given (one fused op).
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, activation: Activation? = nil) -> Variable<S> {
    let tape = x.tape, w = tape.parameter(weight)
    return tape.dense(x, weight: w, bias: tape.parameter(bias), mask: tape.constant(mask, shape: w.shape),
                      activation: activation?.function, parameter: activation?.parameter(S.self) ?? 0)
  }
}
