/// Reductions along one axis of a tensor viewed as [outer, count, inner].
///
/// Sums over several axes are `Broadcast.accumulateSum`; this holds the ones that need more
/// than a sum.
public enum Reduction {
  /// The log of the sum of exponentials along the middle axis, shifted by the maximum so that
  /// no exponential overflows:
  /// ```
  /// y[o, k] = m + log s,   m = max_j x[o, j, k],   s = Σ_j exp(x[o, j, k] − m)
  /// ```
  /// Also writes m and 1/s per slice for the gradient. A slice whose maximum is ±∞ yields that
  /// maximum (and 1/s = 0). x: [outer, count, inner]; y, maxima, inverseSums: [outer, inner]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func logSumExp<S: TensorScalar>(
    _ x: UnsafePointer<S>, outer: Int, count n: Int, inner: Int, into y: UnsafeMutablePointer<S>,
    maxima: UnsafeMutablePointer<S>, inverseSums: UnsafeMutablePointer<S>
  ) {
    precondition(n > 0, "logSumExp over an empty axis")
    for o in 0..<outer {
      for k in 0..<inner {
        let base = x + o * n * inner + k, slice = o * inner + k
        var m = base[0]
        for j in 1..<n { m = Swift.max(m, base[j * inner]) }
        maxima[slice] = m
        guard m.isFinite else {
          y[slice] = m
          inverseSums[slice] = 0
          continue
        }
        var s: Double = 0
        for j in 0..<n { s += Double(S.exp(base[j * inner] - m)) }
        y[slice] = m + S.log(S(s))
        inverseSums[slice] = S(1 / s)
      }
    }
  }

  /// The gradient of `logSumExp`, the softmax along the axis scaled by the upstream gradient:
  /// ```
  /// dx[o, j, k] += dy[o, k] · exp(x[o, j, k] − m[o, k]) / s[o, k]
  /// ```
  /// It is formed from m and 1/s rather than as exp(x − y): y rounded to Float would put a
  /// relative error of ulp(y) (3e-5 at y ≈ 500) into every softmax entry. Slices with an
  /// infinite maximum get no gradient. x, dx: [outer, count, inner]; dy, maxima, inverseSums:
  /// [outer, inner]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateLogSumExpGradient<S: TensorScalar>(
    upstream dy: UnsafePointer<S>, input x: UnsafePointer<S>, maxima: UnsafePointer<S>,
    inverseSums: UnsafePointer<S>, outer: Int, count n: Int, inner: Int,
    into dx: UnsafeMutablePointer<S>
  ) {
    for o in 0..<outer {
      let m = maxima + o * inner, r = inverseSums + o * inner, g = dy + o * inner
      for j in 0..<n {
        let row = (o * n + j) * inner
        for k in 0..<inner where m[k].isFinite {
          dx[row + k] += g[k] * r[k] * S.exp(x[row + k] - m[k])
        }
      }
    }
  }
}
