extension Image {
  /// The image enlarged `factor` times by bicubic interpolation (Keys' cubic, a = −0.5), edges
  /// clamped, rounded to the nearest level: the plain bicubic baseline of super-resolution.
  ///
  /// ```
  /// out(X) = Σ_k w(u − k) · in(clamp(⌊u⌋ + k)),  u = (X + ½)/factor − ½,  k ∈ {−1, 0, 1, 2}
  /// w(t) = (a + 2)|t|³ − (a + 3)|t|² + 1 for |t| ≤ 1,  a|t|³ − 5a|t|² + 8a|t| − 4a for 1 < |t| < 2
  /// ```
  /// Separable: rows first, then columns. Upscaling only; the antialiased downscale that makes
  /// LR images lives with the degradations. Reference: Keys 1981.
  public func bicubicUpscaled(by factor: Int) -> Image {
    precondition(factor >= 1, "bicubic factor must be ≥ 1, got \(factor)")
    if factor == 1 { return self }
    let (w2, h2) = (width * factor, height * factor)
    let taps = (0..<factor).map { Image.cubicTaps(phase: (Double($0) + 0.5) / Double(factor) - 0.5) }
    func source(_ X: Int) -> (first: Int, weights: [Double]) {
      let phase = X % factor
      return (X / factor + taps[phase].offset, taps[phase].weights)
    }
    // Horizontal pass into Double rows, then the vertical pass.
    var horizontal = [Double](repeating: 0, count: height * w2 * channels)
    for y in 0..<height {
      for X in 0..<w2 {
        let (first, weights) = source(X)
        for c in 0..<channels {
          var sum = 0.0
          for k in 0..<4 { sum += weights[k] * Double(pixels[offset(x: min(max(first + k, 0), width - 1), y: y) + c]) }
          horizontal[(y * w2 + X) * channels + c] = sum
        }
      }
    }
    var result = [UInt8](repeating: 0, count: h2 * w2 * channels)
    for Y in 0..<h2 {
      let (first, weights) = source(Y)
      for X in 0..<w2 {
        for c in 0..<channels {
          var sum = 0.0
          for k in 0..<4 { sum += weights[k] * horizontal[(min(max(first + k, 0), height - 1) * w2 + X) * channels + c] }
          result[(Y * w2 + X) * channels + c] = UInt8(min(max(sum.rounded(), 0), 255))
        }
      }
    }
    return Image(width: w2, height: h2, channels: channels, pixels: result)
  }

  /// The four weights for a sample at `phase` pixels from its left source pixel's centre
  /// (−½ < phase < ½) and where they start relative to ⌊X / factor⌋.
  private static func cubicTaps(phase: Double) -> (offset: Int, weights: [Double]) {
    let left = Int(phase.rounded(.down)), t = phase - Double(left)
    let a = -0.5
    func w(_ x: Double) -> Double {
      let x = abs(x)
      if x <= 1 { return (a + 2) * x * x * x - (a + 3) * x * x + 1 }
      if x < 2 { return a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a }
      return 0
    }
    return (left - 1, [w(t + 1), w(t), w(1 - t), w(2 - t)])
  }
}
