/// An element-wise function with a closed-form derivative.
///
/// `elu` and `power` take a parameter (alpha, the exponent); the others ignore it. The
/// logistic functions are evaluated in forms that neither overflow nor cancel for large |x|:
/// ```
/// softplus(x)   = max(x, 0) + log1p(exp(-|x|))
/// logSigmoid(x) = min(x, 0) - log1p(exp(-|x|))
/// sigmoid(x)    = 1 / (1 + exp(-x)) for x ≥ 0,  exp(x) / (1 + exp(x)) otherwise
/// ```
public enum UnaryFunction: Int, Sendable, CaseIterable {
  case exp, log, sqrt, square, softplus, sigmoid, logSigmoid, tanh, relu
  /// `x` for x > 0, `alpha · (exp(x) − 1)` otherwise.
  case elu
  case abs
  /// `x^p` for a constant exponent p.
  case power
}

/// The scalar forms of the logistic functions shared by forward and derivative kernels.
enum Logistic {
  @inline(__always)
  static func sigmoid<S: TensorScalar>(_ x: S) -> S {
    let e = S.exp(-Swift.abs(x))
    return x >= 0 ? 1 / (1 + e) : e / (1 + e)
  }

  @inline(__always)
  static func softplus<S: TensorScalar>(_ x: S) -> S {
    Swift.max(x, 0) + S.log(onePlus: S.exp(-Swift.abs(x)))
  }

  @inline(__always)
  static func logSigmoid<S: TensorScalar>(_ x: S) -> S {
    Swift.min(x, 0) - S.log(onePlus: S.exp(-Swift.abs(x)))
  }
}

extension Elementwise {
  /// `y[i] = f(x[i])`; `parameter` is ELU's alpha or the power's exponent.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func apply<S: TensorScalar>(
    _ f: UnaryFunction, parameter p: S, _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>,
    count: Int
  ) {
    switch f {
    case .exp: for i in 0..<count { y[i] = S.exp(x[i]) }
    case .log: for i in 0..<count { y[i] = S.log(x[i]) }
    case .sqrt: for i in 0..<count { y[i] = x[i].squareRoot() }
    case .square: for i in 0..<count { y[i] = x[i] * x[i] }
    case .softplus: for i in 0..<count { y[i] = Logistic.softplus(x[i]) }
    case .sigmoid: S.sigmoid(x, into: y, count: count)
    case .logSigmoid: for i in 0..<count { y[i] = Logistic.logSigmoid(x[i]) }
    case .tanh: S.tanh(x, into: y, count: count)
    case .relu: for i in 0..<count { y[i] = Swift.max(x[i], 0) }
    case .elu: for i in 0..<count { y[i] = x[i] > 0 ? x[i] : p * S.expMinusOne(x[i]) }
    case .abs: for i in 0..<count { y[i] = Swift.abs(x[i]) }
    case .power: for i in 0..<count { y[i] = S.pow(x[i], p) }
    }
  }

  /// `dx[i] += dy[i] · f'(x[i])`, or `dx[i] = dy[i] · f'(x[i])` when `overwrite` (dx may then be
  /// uninitialized, which saves zeroing a fresh gradient: issue 13's profile of glow-digits spent
  /// 9% of the step zeroing). Reads the forward output `y` where it gives f' cheaply.
  ///
  /// x, y, dy, dx: [count]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateDerivative<S: TensorScalar>(
    of f: UnaryFunction, parameter p: S, input x: UnsafePointer<S>, output y: UnsafePointer<S>,
    upstream dy: UnsafePointer<S>, into dx: UnsafeMutablePointer<S>, count: Int, overwrite: Bool = false
  ) {
    // One branch-free loop per function and mode, so each vectorizes.
    @inline(__always) func each(_ term: (Int) -> S) {
      if overwrite {
        for i in 0..<count { dx[i] = term(i) }
      } else {
        for i in 0..<count { dx[i] += term(i) }
      }
    }
    switch f {
    case .exp: each { dy[$0] * y[$0] }
    case .log: each { dy[$0] / x[$0] }
    case .sqrt: each { dy[$0] / (2 * y[$0]) }
    case .square: each { dy[$0] * 2 * x[$0] }
    case .softplus: each { dy[$0] * Logistic.sigmoid(x[$0]) }
    case .sigmoid: each { dy[$0] * y[$0] * (1 - y[$0]) }
    // 1 − σ(x) = σ(−x), which keeps its precision where σ(x) rounds to 1.
    case .logSigmoid: each { dy[$0] * Logistic.sigmoid(-x[$0]) }
    case .tanh: each { dy[$0] * (1 - y[$0] * y[$0]) }
    // A selected 0, not a skipped element: a non-finite dy where x ≤ 0 still contributes nothing.
    case .relu: each { x[$0] > 0 ? dy[$0] : 0 }
    // For x ≤ 0: d/dx alpha·(eˣ − 1) = alpha·eˣ = y + alpha.
    case .elu: each { dy[$0] * (x[$0] > 0 ? 1 : y[$0] + p) }
    // NaN x takes the −dy branch, as x ≠ 0 and not x > 0.
    case .abs: each { x[$0] == 0 ? 0 : x[$0] > 0 ? dy[$0] : -dy[$0] }
    case .power:
      // x^0 is constant; 0, not 0 · x^(−1), which is NaN at x = 0.
      guard p != 0 else { return overwrite ? each { _ in 0 } : () }
      each { dy[$0] * p * S.pow(x[$0], p - 1) }
    }
  }

}
