/// Element-wise kernels on raw buffers. Each is specialized for Float and Double so calls from
/// generic backward rules run tight loops.
public enum Elementwise {
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

  /// Σ x[i], accumulated in Float64 so long sums do not lose the small terms.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func sum<S: TensorScalar>(_ x: UnsafePointer<S>, count: Int) -> S {
    var acc: Double = 0
    for i in 0..<count { acc += Double(x[i]) }
    return S(acc)
  }
}
