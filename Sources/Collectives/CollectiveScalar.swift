/// The element types collectives move and reduce: Float, Double, Int32, Int64, UInt64.
///
/// Implementations map `collectiveKind` to their wire type (e.g. `MPI_FLOAT`); conforming any
/// other type is unsupported.
public protocol CollectiveScalar: Numeric, Comparable, Sendable, BitwiseCopyable {
  static var collectiveKind: CollectiveScalarKind { get }
}

/// The wire representation of a `CollectiveScalar`.
public enum CollectiveScalarKind: Sendable {
  case float32
  case float64
  case int32
  case int64
  case uint64
}

extension Float: CollectiveScalar {
  public static var collectiveKind: CollectiveScalarKind { .float32 }
}

extension Double: CollectiveScalar {
  public static var collectiveKind: CollectiveScalarKind { .float64 }
}

extension Int32: CollectiveScalar {
  public static var collectiveKind: CollectiveScalarKind { .int32 }
}

extension Int64: CollectiveScalar {
  public static var collectiveKind: CollectiveScalarKind { .int64 }
}

extension UInt64: CollectiveScalar {
  public static var collectiveKind: CollectiveScalarKind { .uint64 }
}
