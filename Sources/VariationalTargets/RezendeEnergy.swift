import Autodiff
import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The four 2-D energies of Rezende & Mohamed 2015, Table 1:
/// ```
/// U1(z) = ½((‖z‖ − 2)/0.4)² − log(e^{−½((z₁−2)/0.6)²} + e^{−½((z₁+2)/0.6)²})
/// U2(z) = ½((z₂ − w₁)/0.4)²
/// U3(z) = −log(e^{−½((z₂−w₁)/0.35)²} + e^{−½((z₂−w₁+w₂)/0.35)²})
/// U4(z) = −log(e^{−½((z₂−w₁)/0.4)²} + e^{−½((z₂−w₁+w₃)/0.35)²})
/// w₁ = sin(2πz₁/4)    w₂ = 3e^{−½((z₁−1)/0.6)²}    w₃ = 3σ((z₁−1)/0.3)
/// ```
/// U2–U4 are periodic in z₁, so exp(−U) has the same mass in every unit of z₁ and no finite Z.
/// As in the paper's figures, they are taken on the window |z₁| ≤ 4, closed by a Gaussian wall
/// that is exactly zero inside it (and keeps the energy differentiable for reverse KL):
/// ```
/// U(z) + ½(max(|z₁| − 4, 0)/0.25)²    ⇒    Z = (8 + 0.25·√(2π)) · ∫ exp(−U) dz₂
/// ```
/// and the z₂ integral is a sum of Gaussian normalizers: 0.4√(2π) (U2), 0.7√(2π) (U3),
/// 0.75√(2π) (U4). U1 is a ring and needs no wall; its Z comes from grid integration only.
///
/// Reference: Rezende & Mohamed 2015, "Variational Inference with Normalizing Flows", Table 1.
public enum RezendeEnergy: String, CaseIterable, Sendable, Energy2D {
  case u1, u2, u3, u4

  /// Half-width of the z₁ window of U2–U4.
  public static let window = 4.0
  /// Standard deviation of the wall outside the window.
  public static let wallWidth = 0.25

  public func energy(_ z: SIMD2<Double>) -> Double {
    let (z1, z2) = (z.x, z.y)
    let w1 = sin(Double.pi * z1 / 2)
    switch self {
    case .u1:
      let ring = halfSquare(((z * z).sum().squareRoot() - 2) / 0.4)
      return ring - logAddExp(-halfSquare((z1 - 2) / 0.6), -halfSquare((z1 + 2) / 0.6))
    case .u2:
      return halfSquare((z2 - w1) / 0.4) + Self.wall(z1)
    case .u3:
      let w2 = 3 * exp(-halfSquare((z1 - 1) / 0.6))
      return -logAddExp(-halfSquare((z2 - w1) / 0.35), -halfSquare((z2 - w1 + w2) / 0.35)) + Self.wall(z1)
    case .u4:
      let w3 = 3 / (1 + exp(-(z1 - 1) / 0.3))
      return -logAddExp(-halfSquare((z2 - w1) / 0.4), -halfSquare((z2 - w1 + w3) / 0.35)) + Self.wall(z1)
    }
  }

  /// z: [batch, 2] → [batch]
  public func energy<S: TensorScalar>(_ z: Variable<S>) -> Variable<S> {
    precondition(z.shape.rank == 2 && z.shape[1] == 2, "energy needs z of shape [batch, 2], got \(z.shape)")
    let batch = z.shape[0]
    let (z1, z2) = z.split(alongAxis: 1, at: 1)  // [batch, 1] each
    let u: Variable<S>
    switch self {
    case .u1:
      let ring = halfSquare(((z1.square() + z2.square()).sqrt() - 2) * (1 / 0.4))
      u = ring - logAddExp(-halfSquare((z1 - 2) * (1 / 0.6)), -halfSquare((z1 + 2) * (1 / 0.6)))
    case .u2:
      let w1 = z.tape.sine(z1 * S(Double.pi / 2))
      u = halfSquare((z2 - w1) * (1 / 0.4)) + Self.wall(z1)
    case .u3:
      let w1 = z.tape.sine(z1 * S(Double.pi / 2))
      let w2 = (-halfSquare((z1 - 1) * (1 / 0.6))).exp() * 3
      u = -logAddExp(-halfSquare((z2 - w1) * (1 / 0.35)), -halfSquare((z2 - w1 + w2) * (1 / 0.35))) + Self.wall(z1)
    case .u4:
      let w1 = z.tape.sine(z1 * S(Double.pi / 2))
      let w3 = ((z1 - 1) * (1 / 0.3)).sigmoid() * 3
      u = -logAddExp(-halfSquare((z2 - w1) * (1 / 0.4)), -halfSquare((z2 - w1 + w3) * (1 / 0.35))) + Self.wall(z1)
    }
    return u.reshaped(to: [batch])
  }

  public var integrationBox: IntegrationBox {
    // At these edges every Gaussian factor of exp(−U) is at most e⁻⁵⁰: 10 ring widths past
    // radius 2 (U1), 16 wall widths past the window in z₁, and in z₂ at least 10 standard
    // deviations from every mean w₁, w₁ − w₂, w₁ − w₃ (|w₁| ≤ 1, 0 ≤ w₂, w₃ ≤ 3). The z₁ range
    // [−8, 8] puts the wall's kinks at ±4 on cell edges whenever the resolution is a multiple
    // of 4; cells straddling them would make the midpoint rule's error O(h²) instead of
    // negligible (measured: 2.6e-5 at 128² on [−6.5, 6.5], 1e-14 on [−8, 8]).
    switch self {
    case .u1: return IntegrationBox(x: -6...6, y: -6...6)
    case .u2: return IntegrationBox(x: -8...8, y: -5...5)
    case .u3, .u4: return IntegrationBox(x: -8...8, y: -8...5)
    }
  }

  public var exactLogPartition: Double? {
    let root2pi = (2 * Double.pi).squareRoot()
    let length = 2 * Self.window + Self.wallWidth * root2pi
    switch self {
    case .u1: return nil
    case .u2: return log(length * 0.4 * root2pi)
    case .u3: return log(length * 0.7 * root2pi)
    case .u4: return log(length * 0.75 * root2pi)
    }
  }

  /// ½(max(|z₁| − window, 0)/wallWidth)²
  static func wall(_ z1: Double) -> Double {
    halfSquare(max(abs(z1) - window, 0) / wallWidth)
  }

  /// z1: [batch, 1]
  static func wall<S: TensorScalar>(_ z1: Variable<S>) -> Variable<S> {
    halfSquare((z1.abs() - S(window)).relu() * S(1 / wallWidth))
  }
}

@inline(__always)
func halfSquare(_ x: Double) -> Double { 0.5 * x * x }

func halfSquare<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> { x.square() * 0.5 }

/// log(eᵃ + eᵇ) for [batch, 1] operands: [batch, 1].
func logAddExp<S: TensorScalar>(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> {
  a.tape.concatenate(a, b, alongAxis: 1).logSumExp(alongAxis: 1, keepingDimensions: true)
}

func logAddExp(_ a: Double, _ b: Double) -> Double { GridIntegration.logAddExp(a, b) }
