import Autodiff
import TensorCore

/// A masked autoencoder whose outputs are autoregressive in its inputs: for each dimension k it
/// outputs a shift μ_k and a log-scale α_k that depend only on the inputs before k in `order`.
///
/// ```
/// degree(input order[t]) = t + 1,   hidden degrees of a layer of width H: sort(u mod (D − 1) + 1, u < H)
/// hidden mask:  unit ← input iff degree(unit) ≥ degree(input)
/// output mask:  (μ_k, α_k) ← unit iff degree(k) > degree(unit)
/// ```
/// Hidden degrees take the values 1…D−1 as evenly as the width allows, so a hidden layer of at
/// least D − 1 units keeps every allowed dependency; narrower layers drop some. They are sorted so
/// that between hidden layers each unit's inputs are a prefix of the previous layer's units, which
/// lets `MaskedDense` skip the masked-out blocks. The output layer is zero-initialized, so μ and
/// α start at 0.
/// Reference: Germain et al. 2015 (MADE).
public struct MADE: Sendable {
  public let dimension: Int
  /// [D] the degree of each input dimension, a permutation of 1…D.
  public let inputDegrees: [Int]
  /// The hidden layers, then the output layer (2·D outputs: all μ, then all α).
  public let layers: [MaskedDense]
  public let activation: Activation

  /// `order` lists the input dimensions from first to last in the autoregressive order
  /// (default 0, 1, …, D − 1).
  public init<S: TensorScalar>(
    _ name: String, dimension: Int, hidden: [Int], order: [Int]? = nil,
    activation: Activation = .relu, parameters: ParameterStore<S>
  ) {
    precondition(dimension >= 2, "MADE needs at least 2 dimensions, got \(dimension)")
    precondition(hidden.allSatisfy { $0 >= 1 }, "MADE hidden widths must be ≥ 1, got \(hidden)")
    let order = order ?? Array(0..<dimension)
    precondition(order.count == dimension && Set(order) == Set(0..<dimension),
                 "MADE order \(order) is not a permutation of 0..<\(dimension)")
    var degrees = [Int](repeating: 0, count: dimension)
    for (t, i) in order.enumerated() { degrees[i] = t + 1 }
    self.dimension = dimension
    inputDegrees = degrees
    self.activation = activation

    var built: [MaskedDense] = []
    var previous = degrees
    for (l, width) in hidden.enumerated() {
      // Sorted, so each unit's allowed inputs come first and the masks are column prefixes.
      let unitDegrees = (0..<width).map { $0 % (dimension - 1) + 1 }.sorted()
      built.append(MaskedDense("\(name).\(l)", inputs: previous.count, outputs: width,
                               mask: Self.mask(from: previous, to: unitDegrees, strict: false),
                               parameters: parameters))
      previous = unitDegrees
    }
    built.append(MaskedDense("\(name).\(hidden.count)", inputs: previous.count, outputs: 2 * dimension,
                             mask: Self.mask(from: previous, to: degrees + degrees, strict: true),
                             zeroInitialized: true, parameters: parameters))
    layers = built
  }

  /// [from.count, to.count] row-major: 1 where a unit of degree `to[k]` may see one of degree
  /// `from[j]`.
  static func mask(from: [Int], to: [Int], strict: Bool) -> [Double] {
    from.flatMap { j in to.map { k in (strict ? k > j : k >= j) ? 1 : 0 } }
  }

  /// [batch, D] → (μ [batch, D], α [batch, D]), the network's raw outputs.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> (shift: Variable<S>, logScale: Variable<S>) {
    precondition(x.shape.rank == 2 && x.shape[1] == dimension,
                 "MADE over \(dimension) dimensions got input \(x.shape)")
    var h = x
    for (i, layer) in layers.enumerated() {
      h = layer(h, activation: i < layers.count - 1 ? activation : nil)
    }
    return h.split(alongAxis: 1, at: dimension)
  }
}
