/// Walks the top-level fields of one protobuf message: enough to read an `Event`'s `step` when
/// event files are cut back on resume (see `EventFiles`); every other field is skipped by its
/// wire type without being decoded.
struct ProtobufReader {
  private let bytes: ArraySlice<UInt8>
  private var position: Int

  init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    position = bytes.startIndex
  }

  /// The value of varint field `field` in `message`: the last occurrence wins (protobuf's rule),
  /// 0 when absent (proto3's default); nil when `message` is not a well-formed message.
  static func varint(_ field: Int, in message: ArraySlice<UInt8>) -> UInt64? {
    var reader = ProtobufReader(message)
    var found: UInt64 = 0
    while reader.position < message.endIndex {
      guard let key = reader.readVarint() else { return nil }
      let number = Int(truncatingIfNeeded: key >> 3), wireType = key & 7
      if wireType == 0 {
        guard let value = reader.readVarint() else { return nil }
        if number == field { found = value }
      } else if !reader.skip(wireType: wireType) {
        return nil
      }
    }
    return found
  }

  /// A base-128 varint of at most ten bytes; nil when it runs past the end or is longer.
  private mutating func readVarint() -> UInt64? {
    var value: UInt64 = 0
    for shift in stride(from: 0, to: 70, by: 7) {
      guard position < bytes.endIndex else { return nil }
      let byte = bytes[position]
      position += 1
      value |= UInt64(byte & 0x7F) << UInt64(shift)
      if byte & 0x80 == 0 { return value }
    }
    return nil
  }

  /// Moves past a fixed64, length-delimited or fixed32 value; false when it does not fit or the
  /// wire type is unknown (3 and 4, the deprecated groups, are never written by TensorBoard).
  private mutating func skip(wireType: UInt64) -> Bool {
    let length: Int
    switch wireType {
    case 1: length = 8
    case 5: length = 4
    case 2:
      guard let n = readVarint(), n <= UInt64(bytes.endIndex - position) else { return false }
      length = Int(n)
    default: return false
    }
    guard bytes.endIndex - position >= length else { return false }
    position += length
    return true
  }
}
