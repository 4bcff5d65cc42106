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

  /// `y[r, c] = b[c]`: a bias written into every row before a GEMM adds onto it.
  ///
  /// b: [columns]; y: [rows, columns]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func broadcastRows<S: TensorScalar>(
    _ b: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, rows: Int, columns: Int
  ) {
    // A loop rather than one memmove per row: rows are short (64–128 scalars).
    for r in 0..<rows {
      let row = y + r * columns
      for c in 0..<columns { row[c] = b[c] }
    }
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
    case .tanh: S.tanh(y, into: y, count: count)
    case .sigmoid: S.sigmoid(y, into: y, count: count)
    case .exp: for i in 0..<count { y[i] = S.exp(y[i]) }
    case .elu: for i in 0..<count { y[i] = y[i] > 0 ? y[i] : p * S.expMinusOne(y[i]) }
    default: preconditionFailure("\(f) is not an activation with a derivative from its output")
    }
  }

  /// `dx[r, c] = dy[r, c] · f′(x[r, c])` with f′ computed from the output `y = f(x)` alone (so an
  /// activation can overwrite its input), and `db[c] += Σ_r dx[r, c]` in the same pass when `db` is
  /// given; f must pass `derivativeFollowsFromOutput`.
  ///
  /// y, dy, dx: [rows, columns]; db: [columns]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func multiplyByDerivative<S: TensorScalar>(
    of f: UnaryFunction, parameter p: S, output y: UnsafePointer<S>, upstream dy: UnsafePointer<S>,
    into dx: UnsafeMutablePointer<S>, rows: Int, columns: Int, addingColumnSumsTo db: UnsafeMutablePointer<S>?
  ) {
    switch f {
    case .relu: rowwise(y, dy, dx, db, rows, columns) { y, dy in y > 0 ? dy : 0 }
    case .tanh: rowwise(y, dy, dx, db, rows, columns) { y, dy in dy * (1 - y * y) }
    case .sigmoid: rowwise(y, dy, dx, db, rows, columns) { y, dy in dy * y * (1 - y) }
    case .exp: rowwise(y, dy, dx, db, rows, columns) { y, dy in dy * y }
    case .elu: rowwise(y, dy, dx, db, rows, columns) { y, dy in y > 0 ? dy : dy * (y + p) }
    default: preconditionFailure("the derivative of \(f) does not follow from its output")
    }
  }

  /// `dx[r, c] = g(y[r, c], dy[r, c])` and `db[c] += dx[r, c]`, the column sums skipped without db.
  @inline(__always)
  private static func rowwise<S: TensorScalar>(
    _ y: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ dx: UnsafeMutablePointer<S>,
    _ db: UnsafeMutablePointer<S>?, _ rows: Int, _ columns: Int, _ g: (S, S) -> S
  ) {
    guard let db else {
      for i in 0..<(rows * columns) { dx[i] = g(y[i], dy[i]) }
      return
    }
    for r in 0..<rows {
      let o = r * columns
      for c in 0..<columns {
        let v = g(y[o + c], dy[o + c])
        dx[o + c] = v
        db[c] += v
      }
    }
  }
}
