#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 2-D toy densities of the flow literature (FFJORD, NSF), each a map from 4 uniforms
/// `u ∈ [0, 1)⁴` and 2 standard normals `n` to one point. `u.x` picks the mixture component,
/// so a component is drawn per example rather than taken from the example's index.
///
/// Reference: Grathwohl et al. 2019 (FFJORD) and Durkan et al. 2019 (NSF) toy sets;
/// scikit-learn's `make_moons` and `make_circles`.
public enum ToyDistribution: String, CaseIterable, Sendable {
  /// Two interleaving half circles, as sklearn's `make_moons(noise=0.05)` (unscaled):
  /// ```
  /// t = π·u₁    upper: (cos t, sin t)    lower: (1 − cos t, ½ − sin t)    + 0.05·n
  /// ```
  case moons
  /// Two concentric rings, FFJORD's `3 × make_circles(factor=0.5, noise=0.08)`:
  /// ```
  /// θ = 2π·u₁    radius 3 or 1.5    (r cos θ, r sin θ) + 0.24·n
  /// ```
  case circles
  /// Uniform on the 8 cells (c + r even) of a 4×4 board of 2×2 cells over [−4, 4]²
  /// (density 1/32 on its support):
  /// ```
  /// c = ⌊4u₀⌋    r = 2⌊2u₁⌋ + (c mod 2)    (2(c + u₂) − 4, 2(r + u₃) − 4)
  /// ```
  case checkerboard
  /// Eight isotropic Gaussians, σ = 0.5/√2, centred on the circle of radius 2√2 at angles kπ/4.
  case eightGaussians = "8gaussians"
  /// Five curved arms:
  /// ```
  /// k = ⌊5u₀⌋    f = (1 + 0.3n₀, 0.1n₁)    α = 2πk/5 + 0.25·e^{f₀}    2·Rᵀ(α)·f
  /// ```
  /// (Rᵀ rotates clockwise, FFJORD's orientation.)
  case pinwheel
  /// Two interleaved spirals (s = ±1):
  /// ```
  /// t = 3π·√u₁    s·(−t cos t + ½u₂, t sin t + ½u₃) / 3 + 0.1·n
  /// ```
  case twoSpirals = "2spirals"

  /// The point for uniforms `u` ([0, 1)) and standard normals `n`.
  public func point(uniforms u: SIMD4<Double>, normals n: SIMD2<Double>) -> SIMD2<Double> {
    switch self {
    case .moons:
      let t = Double.pi * u[1]
      let arc = u[0] < 0.5 ? SIMD2(cos(t), sin(t)) : SIMD2(1 - cos(t), 0.5 - sin(t))
      return arc + 0.05 * n
    case .circles:
      let theta = 2 * Double.pi * u[1]
      let radius = u[0] < 0.5 ? 3.0 : 1.5
      return radius * SIMD2(cos(theta), sin(theta)) + 0.24 * n
    case .checkerboard:
      let column = (4 * u[0]).rounded(.down)
      let row = 2 * (2 * u[1]).rounded(.down) + column.truncatingRemainder(dividingBy: 2)
      return 2 * SIMD2(column + u[2], row + u[3]) - 4
    case .eightGaussians:
      let angle = (8 * u[0]).rounded(.down) * Double.pi / 4
      return 2 * 2.0.squareRoot() * SIMD2(cos(angle), sin(angle)) + 0.5 / 2.0.squareRoot() * n
    case .pinwheel:
      let f = SIMD2(1 + 0.3 * n[0], 0.1 * n[1])
      let angle = 2 * Double.pi * (5 * u[0]).rounded(.down) / 5 + 0.25 * exp(f[0])
      return 2 * SIMD2(f[0] * cos(angle) + f[1] * sin(angle), -f[0] * sin(angle) + f[1] * cos(angle))
    case .twoSpirals:
      let t = 3 * Double.pi * u[1].squareRoot()
      let arm = SIMD2(-t * cos(t) + 0.5 * u[2], t * sin(t) + 0.5 * u[3]) / 3
      return (u[0] < 0.5 ? arm : -arm) + 0.1 * n
    }
  }

  /// How many mixture components (arcs, rings, arms, modes, board columns) the density has.
  public var components: Int {
    switch self {
    case .moons, .circles, .twoSpirals: return 2
    case .checkerboard: return 4
    case .eightGaussians: return 8
    case .pinwheel: return 5
    }
  }

  /// The component the point of uniforms `u` belongs to, in 0 ..< `components`: the class of a
  /// class-conditional toy set. It is the choice `point(uniforms:normals:)` makes from `u.x`.
  public func component(uniforms u: SIMD4<Double>) -> Int {
    switch self {
    case .moons, .circles, .twoSpirals: return u[0] < 0.5 ? 0 : 1
    default: return min(Int((Double(components) * u[0]).rounded(.down)), components - 1)
    }
  }
}
