/// Protocol Buffers wire format, the few field kinds TensorBoard's `Event` and `Summary` use.
///
/// Written by hand rather than with swift-protobuf: four small messages do not justify its code
/// generator plugin, whose build takes about ten minutes. Fields must be added in field-number
/// order to give the canonical bytes (what `SerializeToString` produces, which the tests compare).
/// ```
/// key = (field number << 3) | wire type    (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32)
/// ```
/// Reference: https://protobuf.dev/programming-guides/encoding/
struct ProtobufWriter {
  private(set) var bytes: [UInt8] = []

  /// An `int32`/`int64`/`uint64` field; negative values take ten bytes, as in protobuf.
  mutating func varint(_ field: Int, _ value: Int) {
    key(field, wireType: 0)
    appendVarint(UInt64(bitPattern: Int64(value)))
  }

  /// A `double` field, little-endian.
  mutating func double(_ field: Int, _ value: Double) {
    key(field, wireType: 1)
    appendLittleEndian(value.bitPattern, byteCount: 8)
  }

  /// A `float` field, little-endian; NaN and ±Inf keep their bit patterns.
  mutating func float(_ field: Int, _ value: Float) {
    key(field, wireType: 5)
    appendLittleEndian(UInt64(value.bitPattern), byteCount: 4)
  }

  /// A `bytes` field, or an embedded message's encoding.
  mutating func bytes(_ field: Int, _ value: [UInt8]) {
    key(field, wireType: 2)
    appendVarint(UInt64(value.count))
    bytes += value
  }

  /// A `string` field, UTF-8.
  mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

  /// An embedded message.
  mutating func message(_ field: Int, _ value: ProtobufWriter) { bytes(field, value.bytes) }

  private mutating func key(_ field: Int, wireType: UInt64) {
    precondition(field > 0, "protobuf field numbers start at 1, not \(field)")
    appendVarint(UInt64(field) << 3 | wireType)
  }

  private mutating func appendVarint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  private mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
    for i in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
  }
}
