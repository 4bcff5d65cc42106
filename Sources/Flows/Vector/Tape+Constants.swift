import Autodiff
import TensorCore

extension Tape {
  /// A constant holding `values` (masks and identities that layers keep in Float64) converted to
  /// S, written straight into the tape's arena so a step builds no Swift array.
  @_specialize(where S == Float) @_specialize(where S == Double)
  func constant(_ values: [Double], shape: Shape) -> Variable<S> {
    precondition(values.count == shape.count, "\(values.count) values for shape \(shape)")
    let v = constant(0, shape: shape)
    let out = nodes[Int(v.id)].value
    for i in 0..<values.count { out[i] = S(values[i]) }
    return v
  }
}

/// Row-major n×n matrices of 0s and 1s used as masks.
enum SquareMask {
  /// 1 on the diagonal.
  static func identity(_ n: Int) -> [Double] { matrix(n) { $0 == $1 } }
  /// 1 strictly below the diagonal.
  static func strictlyLower(_ n: Int) -> [Double] { matrix(n) { $1 < $0 } }
  /// 1 strictly above the diagonal.
  static func strictlyUpper(_ n: Int) -> [Double] { matrix(n) { $1 > $0 } }

  private static func matrix(_ n: Int, _ isOne: (_ row: Int, _ column: Int) -> Bool) -> [Double] {
    (0..<(n * n)).map { isOne($0 / n, $0 % n) ? 1 : 0 }
  }
}
