import Autodiff
import TensorCore

/// Which fixed order a permutation layer puts the dimensions in.
public enum PermutationKind: String, Sendable, CaseIterable, Codable {
  case reverse
  /// A random order drawn once from the model seed.
  case random
}

/// A fixed reordering of the features of [batch, D]; volume-preserving.
public struct Permutation: InvertibleFlowLayer {
  /// output[:, i] = input[:, order[i]]
  public let order: [Int]
  public let inverseOrder: [Int]

  public init(order: [Int]) {
    precondition(Set(order) == Set(0..<order.count), "\(order) is not a permutation")
    self.order = order
    var inv = [Int](repeating: 0, count: order.count)
    for (i, o) in order.enumerated() { inv[o] = i }
    inverseOrder = inv
  }

  public init(_ kind: PermutationKind, dimension: Int, seed: UInt64, index: Int) {
    switch kind {
    case .reverse:
      self.init(order: Array((0..<dimension).reversed()))
    case .random:
      let stream = RandomStream(seed: seed, purpose: .parameterInit, major: 1 << 23, minor: index)
      self.init(order: RandomPermutation.shuffled(count: dimension, stream: stream))
    }
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowResult(output: x.gathered(indices: order, alongAxis: 1), logAbsDet: x.zeroLogAbsDet())
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowResult(output: z.gathered(indices: inverseOrder, alongAxis: 1), logAbsDet: z.zeroLogAbsDet())
  }
}
