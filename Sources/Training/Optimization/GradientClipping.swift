/// Global-norm gradient clipping over the flat gradient buffer.
///
/// ```
/// ‖g‖ = √(Σᵢ gᵢ²);   if ‖g‖ > maxNorm:  g ← g · maxNorm/‖g‖
/// ```
/// Reference: Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural networks".
public enum GradientClipping {
  /// The Euclidean norm of the whole buffer, accumulated in Float64.
  ///
  /// The sum cannot overflow in Float64 (a Float32 square is below 1.2e77), so the result is
  /// non-finite exactly when some entry is NaN or ±Inf. Four accumulators in a fixed order break
  /// the add latency chain while keeping the result identical on every run and rank.
  /// - Parameter gradients: [parameterCount]
  public static func globalNorm(_ gradients: UnsafeBufferPointer<Float>) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    let n = gradients.count
    var i = 0
    while i + 4 <= n {
      let a = Double(gradients[i]), b = Double(gradients[i + 1])
      let c = Double(gradients[i + 2]), d = Double(gradients[i + 3])
      s0 += a * a
      s1 += b * b
      s2 += c * c
      s3 += d * d
      i += 4
    }
    while i < n {
      let a = Double(gradients[i])
      s0 += a * a
      i += 1
    }
    return ((s0 + s1) + (s2 + s3)).squareRoot()
  }

  /// Scales `gradients` in place so their global norm is at most `maxNorm`; returns the norm
  /// before clipping. A non-finite norm leaves the buffer untouched: that step is skipped anyway.
  /// - Parameter gradients: [parameterCount]
  @discardableResult
  public static func clip(_ gradients: UnsafeMutableBufferPointer<Float>, maxNorm: Double) -> Double {
    precondition(maxNorm > 0, "maxNorm \(maxNorm) must be > 0")
    let norm = globalNorm(UnsafeBufferPointer(gradients))
    guard norm.isFinite, norm > maxNorm else { return norm }
    let scale = Float(maxNorm / norm)
    for i in 0..<gradients.count { gradients[i] *= scale }
    return norm
  }
}
