/// Reductions along one axis of a tensor viewed as [outer, count, inner].
///
/// Sums over several axes are `Broadcast.accumulateSum`; this holds the ones that need more
/// than a sum.
public enum Reduction {
  /// The log of the sum of exponentials along the middle axis, shifted by the maximum so that
  /// no exponential overflows:
  /// ```
  /// y[o, k] = m + log Σ_j exp(x[o, j, k] − m),   m = max_j x[o, j, k]
  /// ```
  /// A slice whose maximum is ±∞ yields that maximum. x: [outer, count, inner], y: [outer, inner]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func logSumExp<S: TensorScalar>(
    _ x: UnsafePointer<S>, outer: Int, count n: Int, inner: Int, into y: UnsafeMutablePointer<S>
  ) {
    precondition(n > 0, "logSumExp over an empty axis")
    for o in 0..<outer {
      for k in 0..<inner {
        let base = x + o * n * inner + k
        var m = base[0]
        for j in 1..<n { m = Swift.max(m, base[j * inner]) }
        guard m.isFinite else {
          y[o * inner + k] = m
          continue
        }
        var s: Double = 0
        for j in 0..<n { s += Double(S.exp(base[j * inner] - m)) }
        y[o * inner + k] = m + S.log(S(s))
      }
    }
  }

  /// The gradient of `logSumExp`, the softmax along the axis scaled by the upstream gradient:
  /// ```
  /// dx[o, j, k] += dy[o, k] · exp(x[o, j, k] − y[o, k])
  /// ```
  /// x, dx: [outer, count, inner]; y, dy: [outer, inner]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateLogSumExpGradient<S: TensorScalar>(
    upstream dy: UnsafePointer<S>, input x: UnsafePointer<S>, output y: UnsafePointer<S>,
    outer: Int, count n: Int, inner: Int, into dx: UnsafeMutablePointer<S>
  ) {
    for o in 0..<outer {
      for j in 0..<n {
        let row = (o * n + j) * inner
        let yo = y + o * inner, dyo = dy + o * inner
        for k in 0..<inner { dx[row + k] += dyo[k] * S.exp(x[row + k] - yo[k]) }
      }
    }
  }
}
