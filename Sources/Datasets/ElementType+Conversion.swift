import TensorCore

/// Conversion of stored elements to the floating-point type a model computes in.
///
/// Only conversions that are exact for every value the stored type can hold are allowed
/// (`|u1`, `<i2`, `<f4` → Float; those and `<i4`, `<f8` → Double). A lossy one is refused with
/// the NumPy call that makes the file match, so precision is never lost silently.
extension ElementType {
  /// Why this type cannot be read as `S`, with the fix; nil when the conversion is exact.
  func conversionProblem<S: TensorScalar>(to _: S.Type) -> String? {
    let isFloat = S.self == Float.self
    let target = isFloat ? "Float32" : "Float64"
    let exact: Bool
    switch self {
    case .uint8, .int16, .float32: exact = true
    case .int32, .float64: exact = !isFloat
    case .int64: exact = false
    }
    if exact { return nil }
    let fix = isFloat ? "np.float32" : "np.float64"
    switch self {
    case .float64:
      return "dtype '\(npyDescr)' but \(target) was requested; convert with x.astype(\(fix))"
    default:
      return "dtype '\(npyDescr)' cannot be read exactly as \(target) (large values would round); "
        + "convert with x.astype(\(fix)) if that is acceptable"
    }
  }

  /// `out[i] = S(stored element i)` for `count` elements at `source` (any alignment).
  @_specialize(where S == Float) @_specialize(where S == Double)
  func convert<S: TensorScalar>(_ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<S>) {
    switch self {
    case .float32:
      if S.self == Float.self {
        UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: count * 4)
      } else {
        for i in 0..<count { out[i] = S(source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)) }
      }
    case .float64:
      if S.self == Double.self {
        UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: count * 8)
      } else {
        for i in 0..<count { out[i] = S(source.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
      }
    case .uint8:
      for i in 0..<count { out[i] = S(source.load(fromByteOffset: i, as: UInt8.self)) }
    case .int16:
      for i in 0..<count { out[i] = S(source.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) }
    case .int32:
      for i in 0..<count { out[i] = S(source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
    case .int64:
      for i in 0..<count { out[i] = S(source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
    }
  }

  /// The stored integer elements as `Int`; nil for floating-point types.
  func integers(_ source: UnsafeRawPointer, count: Int) -> [Int]? {
    switch self {
    case .float32, .float64: return nil
    case .uint8: return (0..<count).map { Int(source.load(fromByteOffset: $0, as: UInt8.self)) }
    case .int16: return (0..<count).map { Int(source.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self)) }
    case .int32: return (0..<count).map { Int(source.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
    case .int64: return (0..<count).map { Int(source.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
    }
  }
}
