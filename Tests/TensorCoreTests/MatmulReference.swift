import TensorCore

/// Batched matrix products by direct loops in Float64, indexing each stored layout explicitly.
enum MatmulReference {
  /// op(A)[i, r, q] of A stored [batch, m, k], or [batch, k, m] when transposed.
  static func a(_ d: MatmulDimensions, _ a: [Double], _ i: Int, _ r: Int, _ q: Int) -> Double {
    d.transposeA ? a[(i * d.k + q) * d.m + r] : a[(i * d.m + r) * d.k + q]
  }

  /// op(B)[i, q, s] of B stored [batch, k, n], or [batch, n, k] when transposed.
  static func b(_ d: MatmulDimensions, _ b: [Double], _ i: Int, _ q: Int, _ s: Int) -> Double {
    d.transposeB ? b[(i * d.n + s) * d.k + q] : b[(i * d.k + q) * d.n + s]
  }

  /// C [batch, m, n]
  static func product(_ d: MatmulDimensions, _ a: [Double], _ b: [Double]) -> [Double] {
    var c = [Double](repeating: 0, count: d.batch * d.m * d.n)
    for i in 0..<d.batch { for r in 0..<d.m { for s in 0..<d.n {
      for q in 0..<d.k { c[(i * d.m + r) * d.n + s] += Self.a(d, a, i, r, q) * Self.b(d, b, i, q, s) }
    } } }
    return c
  }

  /// (dA, dB) of `<dC, C>`, each in its operand's stored layout.
  static func gradients(_ d: MatmulDimensions, _ a: [Double], _ b: [Double], dC: [Double])
    -> (dA: [Double], dB: [Double])
  {
    var dA = [Double](repeating: 0, count: a.count), dB = [Double](repeating: 0, count: b.count)
    for i in 0..<d.batch { for r in 0..<d.m { for s in 0..<d.n { for q in 0..<d.k {
      let g = dC[(i * d.m + r) * d.n + s]
      dA[d.transposeA ? (i * d.k + q) * d.m + r : (i * d.m + r) * d.k + q] += g * Self.b(d, b, i, q, s)
      dB[d.transposeB ? (i * d.n + s) * d.k + q : (i * d.k + q) * d.n + s] += g * Self.a(d, a, i, r, q)
    } } } }
    return (dA, dB)
  }
}
