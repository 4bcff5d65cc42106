/// The element types the `.npy` and safetensors readers and writers understand, all little-endian.
public enum ElementType: Sendable, CaseIterable, CustomStringConvertible {
  case float32, float64, uint8, int16, int32, int64

  public var byteCount: Int {
    switch self {
    case .uint8: return 1
    case .int16: return 2
    case .float32, .int32: return 4
    case .float64, .int64: return 8
    }
  }

  /// The NumPy dtype string `np.save` writes on a little-endian machine.
  public var npyDescr: String {
    switch self {
    case .float32: return "<f4"
    case .float64: return "<f8"
    case .uint8: return "|u1"
    case .int16: return "<i2"
    case .int32: return "<i4"
    case .int64: return "<i8"
    }
  }

  /// The dtype name in a safetensors header.
  public var safetensorsName: String {
    switch self {
    case .float32: return "F32"
    case .float64: return "F64"
    case .uint8: return "U8"
    case .int16: return "I16"
    case .int32: return "I32"
    case .int64: return "I64"
    }
  }

  /// The NumPy spelling used in fix-it messages (`x.astype(np.float32)`).
  public var numpyName: String {
    switch self {
    case .float32: return "np.float32"
    case .float64: return "np.float64"
    case .uint8: return "np.uint8"
    case .int16: return "np.int16"
    case .int32: return "np.int32"
    case .int64: return "np.int64"
    }
  }

  public var description: String { npyDescr }

  /// `'<u1'` is accepted as a spelling of `'|u1'` (byte order is meaningless for one byte).
  public init?(npyDescr: String) {
    guard let match = ElementType.allCases.first(where: { $0.npyDescr == npyDescr })
      ?? (npyDescr == "<u1" ? .uint8 : nil) else { return nil }
    self = match
  }

  public init?(safetensorsName: String) {
    guard let match = ElementType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else {
      return nil
    }
    self = match
  }
}

/// A Swift type stored bit-for-bit as one `ElementType` (the host is little-endian).
public protocol StorableElement: Sendable {
  static var elementType: ElementType { get }
}

extension Float: StorableElement { public static var elementType: ElementType { .float32 } }
extension Double: StorableElement { public static var elementType: ElementType { .float64 } }
extension UInt8: StorableElement { public static var elementType: ElementType { .uint8 } }
extension Int16: StorableElement { public static var elementType: ElementType { .int16 } }
extension Int32: StorableElement { public static var elementType: ElementType { .int32 } }
extension Int64: StorableElement { public static var elementType: ElementType { .int64 } }

#if !_endian(little)
#error("The .npy and safetensors readers assume a little-endian host")
#endif
