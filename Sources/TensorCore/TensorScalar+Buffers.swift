import CVectorMath

extension Float {
  /// Vectorized (see CVectorMath): libm's tanhf and expf are scalar calls.
  public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    laminar_tanhf(x, y, count)
  }

  public static func sigmoid(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    laminar_sigmoidf(x, y, count)
  }
}

extension Double {
  public static func tanh(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { y[i] = tanh(x[i]) }
  }

  public static func sigmoid(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { y[i] = Logistic.sigmoid(x[i]) }
  }
}
