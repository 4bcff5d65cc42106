import Foundation

/// How to move between two latents z₀ and z₁.
public enum InterpolationPath: String, Sendable, CaseIterable, Codable {
  /// z(t) = (1 − t) z₀ + t z₁
  case linear
  /// Great-circle interpolation, which keeps the norm near that of typical Gaussian samples
  /// (a straight line between two of them passes through less likely, shorter latents):
  /// ```
  /// z(t) = sin((1 − t) ω) / sin ω · z₀ + sin(t ω) / sin ω · z₁,   cos ω = ⟨z₀, z₁⟩ / (|z₀| |z₁|)
  /// ```
  /// Reference: White 2016 (Sampling generative networks).
  case spherical

  /// The weights (a, b) of z(t) = a · z₀ + b · z₁ for latents with the given inner products.
  /// Spherical falls back to linear when z₀ and z₁ are (anti)parallel or one is zero.
  public func weights(t: Double, dot: Double, norm0: Double, norm1: Double) -> (Double, Double) {
    guard self == .spherical, norm0 > 0, norm1 > 0 else { return (1 - t, t) }
    let omega = Foundation.acos(min(1, max(-1, dot / (norm0 * norm1))))
    let s = Foundation.sin(omega)
    guard s > 1e-6 else { return (1 - t, t) }
    return (Foundation.sin((1 - t) * omega) / s, Foundation.sin(t * omega) / s)
  }
}
