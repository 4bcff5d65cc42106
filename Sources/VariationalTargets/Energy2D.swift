import Autodiff
import TensorCore

/// An unnormalized 2-D target density `p(z) = exp(−U(z)) / Z` for variational inference.
///
/// Fitting a flow q by reverse KL minimizes `E_q[U(z) + log q(z)] = −ELBO`, and
/// `ELBO ≤ log Z` with equality when q = p, so `log Z` is the yardstick for a fitted flow.
public protocol Energy2D: Sendable {
  /// U(z) in Float64, the oracle for grid integration and tests.
  func energy(_ z: SIMD2<Double>) -> Double
  /// U of every row on z's tape: [batch, 2] → [batch], built from differentiable ops.
  func energy<S: TensorScalar>(_ z: Variable<S>) -> Variable<S>
  /// A box outside which `exp(−U)` is negligible for log Z (for the built-in targets every
  /// Gaussian factor of it is at most e⁻⁵⁰ at the edges).
  var integrationBox: IntegrationBox { get }
  /// `log Z` in closed form, when there is one.
  var exactLogPartition: Double? { get }
}

/// An axis-aligned rectangle `x × y`.
public struct IntegrationBox: Sendable, Equatable, CustomStringConvertible {
  public let x: ClosedRange<Double>
  public let y: ClosedRange<Double>

  public init(x: ClosedRange<Double>, y: ClosedRange<Double>) {
    precondition(x.lowerBound < x.upperBound && y.lowerBound < y.upperBound, "empty box \(x) × \(y)")
    self.x = x
    self.y = y
  }

  public var description: String {
    "[\(x.lowerBound), \(x.upperBound)] × [\(y.lowerBound), \(y.upperBound)]"
  }
}

extension Energy2D {
  /// `log Z` by the midpoint rule on `resolution × resolution` cells of `integrationBox`
  /// (see `GridIntegration`).
  public func gridLogPartition(resolution: Int) -> Double {
    GridIntegration.logPartition(of: self, box: integrationBox, resolution: resolution)
  }
}
