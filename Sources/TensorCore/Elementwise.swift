/// Element-wise kernels on raw buffers. Each is specialized for Float and Double so calls from
/// generic backward rules run tight loops.
public enum Elementwise {
  /// `y[i] = value`
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func fill<S: TensorScalar>(_ y: UnsafeMutablePointer<S>, with value: S, count: Int) {
    ParallelLoop.forEachChunk(count) { range in for i in range { y[i] = value } }
  }

  /// `y[i] = c * x[i]`
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func scale<S: TensorScalar>(
    _ x: UnsafePointer<S>, by c: S, into y: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { y[i] = c * x[i] }
  }

  /// `y[i] += c * x[i]`
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func addScaled<S: TensorScalar>(
    _ x: UnsafePointer<S>, by c: S, into y: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { y[i] += c * x[i] }
  }

  /// `y[i] += x[i]`
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func add<S: TensorScalar>(
    _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { y[i] += x[i] }
  }

  /// Copies `rows` rows of `columns` scalars between row-strided buffers:
  /// `y[r · yStride + c] = x[r · xStride + c]`. Concatenation and slicing along an axis are this
  /// copy on the [outer, axis · inner] view.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func copyRows<S: TensorScalar>(
    _ x: UnsafePointer<S>, stride xStride: Int, into y: UnsafeMutablePointer<S>, stride yStride: Int,
    rows: Int, columns: Int
  ) {
    for r in 0..<rows {
      (y + r * yStride).update(from: x + r * xStride, count: columns)
    }
  }

  /// `y[r · yStride + c] += x[r · xStride + c]` for `rows` rows of `columns` scalars.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func addRows<S: TensorScalar>(
    _ x: UnsafePointer<S>, stride xStride: Int, into y: UnsafeMutablePointer<S>, stride yStride: Int,
    rows: Int, columns: Int
  ) {
    for r in 0..<rows {
      let xr = x + r * xStride, yr = y + r * yStride
      for c in 0..<columns { yr[c] += xr[c] }
    }
  }

  /// Σ x[i], accumulated in Float64 so long sums do not lose the small terms.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func sum<S: TensorScalar>(_ x: UnsafePointer<S>, count: Int) -> S {
    var acc: Double = 0
    for i in 0..<count { acc += Double(x[i]) }
    return S(acc)
  }
}
