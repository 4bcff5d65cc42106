import Autodiff
import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mixture of isotropic 2-D Gaussians with unnormalized weights:
/// ```
/// U(z) = −log Σₖ wₖ · exp(−‖z − μₖ‖² / (2σₖ²))        Z = Σₖ wₖ · 2πσₖ²
/// ```
/// Its log Z is known in closed form, which makes it the check on grid integration and on a
/// reverse-KL fit's ELBO; separated modes also show whether a flow finds all of them.
public struct GaussianMixtureEnergy: Sendable, Equatable, Energy2D {
  public struct Component: Sendable, Equatable {
    /// > 0, need not sum to 1 over the mixture.
    public let weight: Double
    public let mean: SIMD2<Double>
    /// > 0
    public let std: Double

    public init(weight: Double, mean: SIMD2<Double>, std: Double) {
      precondition(weight > 0 && weight.isFinite, "weight \(weight) must be finite and positive")
      precondition(std > 0 && std.isFinite, "std \(std) must be finite and positive")
      precondition(mean.x.isFinite && mean.y.isFinite, "mean \(mean) must be finite")
      self.weight = weight
      self.mean = mean
      self.std = std
    }
  }

  public let components: [Component]

  public init(_ components: [Component]) {
    precondition(!components.isEmpty, "a mixture needs at least one component")
    self.components = components
  }

  /// Four modes of unequal weights and widths at the corners of a square, total weight 5:
  /// far enough apart (≥ 4σ) that a mode-seeking fit can miss one.
  public static let standard = GaussianMixtureEnergy([
    Component(weight: 1, mean: [-2, -2], std: 0.5),
    Component(weight: 2, mean: [2, -2], std: 0.7),
    Component(weight: 1.5, mean: [-2, 2], std: 0.4),
    Component(weight: 0.5, mean: [2, 2], std: 0.6),
  ])

  public func energy(_ z: SIMD2<Double>) -> Double {
    var result = -Double.infinity
    for c in components {
      let d = z - c.mean
      result = logAddExp(result, log(c.weight) - (d * d).sum() / (2 * c.std * c.std))
    }
    return -result
  }

  /// z: [batch, 2] → [batch]. The components are four [1, K] constants that broadcast
  /// against z's [batch, 1] columns.
  public func energy<S: TensorScalar>(_ z: Variable<S>) -> Variable<S> {
    precondition(z.shape.rank == 2 && z.shape[1] == 2, "energy needs z of shape [batch, 2], got \(z.shape)")
    let tape = z.tape
    let (z1, z2) = z.split(alongAxis: 1, at: 1)
    let mx = constantRow(on: tape) { $0.mean.x }, my = constantRow(on: tape) { $0.mean.y }
    let precision = constantRow(on: tape) { -1 / (2 * $0.std * $0.std) }
    let logWeight = constantRow(on: tape) { log($0.weight) }
    let squaredDistance = (z1 - mx).square() + (z2 - my).square()  // [batch, K]
    return -(squaredDistance * precision + logWeight).logSumExp(alongAxis: 1)
  }

  /// [1, K] with entry k = value(component k), written straight into the tape.
  private func constantRow<S: TensorScalar>(on tape: Tape<S>, _ value: (Component) -> Double) -> Variable<S> {
    withUnsafeTemporaryAllocation(of: S.self, capacity: components.count) { row in
      for (k, c) in components.enumerated() { row[k] = S(value(c)) }
      return tape.input(UnsafeBufferPointer(row), shape: [1, components.count])
    }
  }

  /// Every component's mean ± 10σ (each Gaussian is e⁻⁵⁰ of its peak there).
  public var integrationBox: IntegrationBox {
    let low = components.map { $0.mean - 10 * $0.std }, high = components.map { $0.mean + 10 * $0.std }
    return IntegrationBox(x: low.map(\.x).min()! ... high.map(\.x).max()!,
                          y: low.map(\.y).min()! ... high.map(\.y).max()!)
  }

  public var exactLogPartition: Double? {
    log(components.reduce(0) { $0 + $1.weight * 2 * Double.pi * $1.std * $1.std })
  }
}
