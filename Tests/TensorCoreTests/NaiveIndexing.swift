import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// Reference index arithmetic for the kernel tests: slow, obvious, and independent of the
/// kernels' strided plans.
enum NaiveIndexing {
  /// The row-major multi-index of flat position `flat` in `shape`.
  static func multiIndex(_ flat: Int, in shape: Shape) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.rank)
    for axis in stride(from: shape.rank - 1, through: 0, by: -1) {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return index
  }

  /// The flat position of `index` in `shape`.
  static func flat(_ index: [Int], in shape: Shape) -> Int {
    var position = 0
    for axis in 0..<shape.rank { position = position * shape[axis] + index[axis] }
    return position
  }

  /// The flat position in `operand` that NumPy broadcasting reads for output multi-index `index`.
  static func broadcastSource(_ index: [Int], operand: Shape) -> Int {
    let lead = index.count - operand.rank
    let operandIndex = (0..<operand.rank).map { operand[$0] == 1 ? 0 : index[lead + $0] }
    return flat(operandIndex, in: operand)
  }
}

/// Deterministic test values: distinct, not round, in (−2, 2).
func testValues<S: TensorScalar>(_ count: Int, seed: Int = 0) -> [S] {
  (0..<count).map { S(sin(Double($0 * 7 + seed) * 0.37) * 1.9) }
}
