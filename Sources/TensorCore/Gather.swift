/// Selecting slices of a tensor by integer index along one axis, viewed as [outer, count, inner].
public enum Gather {
  /// `y[o, i, :] = x[o, indices[i], :]`; every index must lie in 0..<count (checked by callers).
  ///
  /// x: [outer, count, inner], indices: [k], y: [outer, k, inner]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func apply<S: TensorScalar>(
    _ x: UnsafePointer<S>, outer: Int, count n: Int, inner: Int,
    indices: UnsafePointer<Int>, indexCount k: Int, into y: UnsafeMutablePointer<S>
  ) {
    for o in 0..<outer {
      for i in 0..<k {
        (y + (o * k + i) * inner).update(from: x + (o * n + indices[i]) * inner, count: inner)
      }
    }
  }

  /// `dx[o, indices[i], :] += dy[o, i, :]`, the gradient of `apply`: a scatter-add, so an index
  /// that occurs several times collects every contribution.
  ///
  /// dy: [outer, k, inner], indices: [k], dx: [outer, count, inner]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func scatterAdd<S: TensorScalar>(
    _ dy: UnsafePointer<S>, outer: Int, count n: Int, inner: Int,
    indices: UnsafePointer<Int>, indexCount k: Int, into dx: UnsafeMutablePointer<S>
  ) {
    for o in 0..<outer {
      for i in 0..<k {
        let src = dy + (o * k + i) * inner, dst = dx + (o * n + indices[i]) * inner
        for c in 0..<inner { dst[c] += src[c] }
      }
    }
  }
}
