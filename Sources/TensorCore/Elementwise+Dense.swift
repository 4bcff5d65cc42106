/// The element-wise pieces of a fused dense layer `y = f(x · W + b)`.
extension Elementwise {
  /// `y[i] = a[i] · b[i]`
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func multiply<S: TensorScalar>(
    _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { y[i] = a[i] * b[i] }
  }

  /// `y[i] += a[i] · b[i]`
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func addProduct<S: TensorScalar>(
    _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { y[i] += a[i] * b[i] }
  }

  /// `y[c] += Σ_r x[r, c]`: the gradient of a bias added to every row.
  ///
  /// x: [rows, columns]; y: [columns]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func addColumnSums<S: TensorScalar>(
    _ x: UnsafePointer<S>, rows: Int, columns: Int, into y: UnsafeMutablePointer<S>
  ) {
    for r in 0..<rows {
      let row = x + r * columns
      for c in 0..<columns { y[c] += row[c] }
    }
  }

  /// Whether `multiplyByDerivative` can run for `f`: its derivative follows from its output.
  public static func derivativeFollowsFromOutput(_ f: UnaryFunction, parameter: Double) -> Bool {
    switch f {
    case .relu, .tanh, .sigmoid, .exp: return true
    // For x ≤ 0 the ELU output is > −alpha and its derivative y + alpha; x > 0 ⇔ y > 0 needs alpha > 0.
    case .elu: return parameter > 0
    default: return false
    }
  }

  /// `y[i] = f(y[i])` for the functions that pass `derivativeFollowsFromOutput`.
  ///
  /// One pointer, not `apply(_:parameter:_:into:count:)` with input = output: the vectorizer's
  /// overlap check fails for identical buffers and falls back to scalar code.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func applyInPlace<S: TensorScalar>(
    _ f: UnaryFunction, parameter p: S, _ y: UnsafeMutablePointer<S>, count: Int
  ) {
    switch f {
    case .relu: for i in 0..<count { y[i] = Swift.max(y[i], 0) }
    case .tanh: for i in 0..<count { y[i] = S.tanh(y[i]) }
    case .sigmoid: for i in 0..<count { y[i] = Logistic.sigmoid(y[i]) }
    case .exp: for i in 0..<count { y[i] = S.exp(y[i]) }
    case .elu: for i in 0..<count { y[i] = y[i] > 0 ? y[i] : p * S.expMinusOne(y[i]) }
    default: preconditionFailure("\(f) is not an activation with a derivative from its output")
    }
  }

  /// `dx[i] = dy[i] · f′(x[i])` with f′ computed from the output `y = f(x)` alone, so an activation
  /// can overwrite its input; f must pass `derivativeFollowsFromOutput`.
  ///
  /// y, dy, dx: [count]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func multiplyByDerivative<S: TensorScalar>(
    of f: UnaryFunction, parameter p: S, output y: UnsafePointer<S>, upstream dy: UnsafePointer<S>,
    into dx: UnsafeMutablePointer<S>, count: Int
  ) {
    switch f {
    case .relu: for i in 0..<count { dx[i] = y[i] > 0 ? dy[i] : 0 }
    case .tanh: for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    case .sigmoid: for i in 0..<count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
    case .exp: for i in 0..<count { dx[i] = dy[i] * y[i] }
    case .elu: for i in 0..<count { dx[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + p) }
    default: preconditionFailure("the derivative of \(f) does not follow from its output")
    }
  }
}
