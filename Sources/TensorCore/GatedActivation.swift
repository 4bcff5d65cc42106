/// WaveNet's gated activation as one kernel: for x [outer, 2 · half] (each outer row holds the
/// tanh half, then the sigmoid half),
/// ```
/// t = tanh(x[:, :half]),  s = σ(x[:, half:]),  y = t ⊙ s          y: [outer, half]
/// dx[:, :half] = dy ⊙ s ⊙ (1 − t²),  dx[:, half:] = dy ⊙ t ⊙ s ⊙ (1 − s)
/// ```
/// As a composite (split, tanh, sigmoid, multiply) it made four outputs and eight passes of
/// backward over the WN layer's widest tensors; here forward writes t and s (kept for backward)
/// and y, and backward one pass into dx.
public enum GatedActivation {
  /// y = t ⊙ s; `saved` [outer, 2 · half] receives t and s in x's arrangement.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func forward<S: TensorScalar>(
    _ x: UnsafePointer<S>, saved: UnsafeMutablePointer<S>, into y: UnsafeMutablePointer<S>, outer: Int, half: Int
  ) {
    ParallelLoop.forEach(outer) { r in
      let row = r * 2 * half
      S.tanh(x + row, into: saved + row, count: half)
      S.sigmoid(x + row + half, into: saved + row + half, count: half)
      let t = saved + row, s = saved + row + half, out = y + r * half
      for i in 0..<half { out[i] = t[i] * s[i] }
    }
  }

  /// dx (+)= the gradient of ⟨dy, y⟩ from the saved t and s; `overwrite` stores instead of adding
  /// (dx may then be uninitialized).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func backward<S: TensorScalar>(
    saved: UnsafePointer<S>, upstream dy: UnsafePointer<S>, into dx: UnsafeMutablePointer<S>, outer: Int,
    half: Int, overwrite: Bool
  ) {
    ParallelLoop.forEach(outer) { r in
      let row = r * 2 * half
      let t = saved + row, s = saved + row + half, g = dy + r * half
      let da = dx + row, db = dx + row + half
      if overwrite {
        for i in 0..<half {
          da[i] = g[i] * s[i] * (1 - t[i] * t[i])
          db[i] = g[i] * t[i] * s[i] * (1 - s[i])
        }
      } else {
        for i in 0..<half {
          da[i] += g[i] * s[i] * (1 - t[i] * t[i])
          db[i] += g[i] * t[i] * s[i] * (1 - s[i])
        }
      }
    }
  }
}
