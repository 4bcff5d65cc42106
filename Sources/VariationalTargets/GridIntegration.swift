import TensorCore

/// `log ∫ exp(−U(z)) dz` over a box by the midpoint rule:
/// ```
/// log Z ≈ log(hₓ·h_y · Σᵢⱼ exp(−U(xᵢ, yⱼ)))     xᵢ = x₀ + (i + ½)hₓ,  yⱼ = y₀ + (j + ½)h_y
/// ```
/// For a smooth integrand that is negligible at the box's edges the error falls faster than
/// any power of h, so doubling the resolution shows how many digits are right. The sum runs as
/// a log-sum-exp per row (shifted by the row's maximum), so no energy range can overflow it.
public enum GridIntegration {
  public static func logPartition(of energy: some Energy2D, box: IntegrationBox, resolution n: Int) -> Double {
    precondition(n >= 1, "resolution must be at least 1, got \(n)")
    let hx = (box.x.upperBound - box.x.lowerBound) / Double(n)
    let hy = (box.y.upperBound - box.y.lowerBound) / Double(n)
    var row = [Double](repeating: 0, count: n)
    var total = -Double.infinity
    for j in 0..<n {
      let y = box.y.lowerBound + (Double(j) + 0.5) * hy
      var largest = -Double.infinity
      for i in 0..<n {
        row[i] = -energy.energy(SIMD2(box.x.lowerBound + (Double(i) + 0.5) * hx, y))
        largest = max(largest, row[i])
      }
      guard largest > -.infinity else { continue }
      let rowSum = row.reduce(0) { $0 + Double.exp($1 - largest) }
      total = logAddExp(total, largest + Double.log(rowSum))
    }
    return total + Double.log(hx * hy)
  }

  /// log(eᵃ + eᵇ) without overflow.
  static func logAddExp(_ a: Double, _ b: Double) -> Double {
    let high = max(a, b), low = min(a, b)
    guard high > -.infinity else { return high }
    return high + Double.log(onePlus: Double.exp(low - high))
  }
}
