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
  /// The mask as runs of column prefixes when skipping its zero blocks pays (see `pays`), else nil.
  public let prefixMask: PrefixMask?

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
    prefixMask = PrefixMask(mask, rows: inputs, columns: outputs).flatMap(Self.pays)
  }

  /// Whether one GEMM per run beats one GEMM over the whole masked weight: the runs must be wide
  /// and deep enough for BLAS to run near its full rate and skip a good share of the work.
  /// MADE's 128 → 128 hidden layer over 8 dimensions (7 runs of 18 columns, density 0.57) pays;
  /// its 8 → 128 input layer (depth ≤ 7) does not.
  private static func pays(_ mask: PrefixMask) -> PrefixMask? {
    let averageWidth = mask.columns / max(mask.runs.count, 1)
    return mask.rows >= 32 && averageWidth >= 16 && mask.density <= 0.75 ? mask : nil
  }

  /// [batch, inputs] → [batch, outputs], followed by `activation` if given (one fused op).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, activation: Activation? = nil) -> Variable<S> {
    let tape = x.tape, w = tape.parameter(weight), b = tape.parameter(bias)
    let f = activation?.function, p = activation?.parameter(S.self) ?? 0
    if let prefixMask { return tape.dense(x, weight: w, bias: b, mask: prefixMask, activation: f, parameter: p) }
    return tape.dense(x, weight: w, bias: b, mask: tape.constant(mask, shape: w.shape), activation: f, parameter: p)
  }
}
