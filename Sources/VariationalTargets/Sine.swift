import Autodiff
import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tape {
  /// `y = sin(x)` element-wise, for the sinusoidal energies U2–U4. The result has x's shape.
  /// (Autodiff's `UnaryFunction` has no sine; this op lives beside its only user.)
  func sine(_ x: Variable<S>) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    let (y, out) = record(SineRule.self, shape: x.shape, inputs: x)
    SineKernel.forward(x.value.baseAddress!, into: out, count: x.shape.count)
    return y
  }
}

enum SineRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    SineKernel.accumulateDerivative(input: tape.value(of: x), upstream: node.upstream, into: dx,
                                    count: node.shape.count)
  }
}

/// Sine and its derivative, evaluated in Float64 (one rounding for Float32).
enum SineKernel {
  /// y[i] = sin(x[i])
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func forward<S: TensorScalar>(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
    for i in 0..<count { y[i] = S(sin(Double(x[i]))) }
  }

  /// dx[i] += dy[i] · cos(x[i])
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func accumulateDerivative<S: TensorScalar>(
    input x: UnsafePointer<S>, upstream dy: UnsafePointer<S>, into dx: UnsafeMutablePointer<S>, count: Int
  ) {
    for i in 0..<count { dx[i] += dy[i] * S(cos(Double(x[i]))) }
  }
}
