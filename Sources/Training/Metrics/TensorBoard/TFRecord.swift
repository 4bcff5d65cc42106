import Support

/// TFRecord framing, the container of TensorBoard event files: each record is
/// ```
/// uint64 length | uint32 masked_crc32c(length) | data[length] | uint32 masked_crc32c(data)
/// ```
/// all little-endian; the checksums are CRC-32C, masked (see `CRC32C.masked`).
///
/// Reference: tensorflow/core/lib/io/record_writer.h.
enum TFRecord {
  /// Bytes of framing around each record's data.
  static let overhead = 16

  /// `data` framed as one record.
  static func frame(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(data.count + overhead)
    let length = littleEndian(UInt64(data.count), byteCount: 8)
    out += length
    out += littleEndian(UInt64(CRC32C.checksum(length).masked), byteCount: 4)
    out += data
    out += littleEndian(UInt64(CRC32C.checksum(data).masked), byteCount: 4)
    return out
  }

  /// The records of `bytes` in order: where each whole record lies and where its data lies.
  /// Stops at the first record that is incomplete or fails a checksum, as a write torn by a crash
  /// leaves it; what follows such a record cannot be framed reliably.
  static func records(in bytes: [UInt8]) -> [(record: Range<Int>, data: Range<Int>)] {
    var found: [(record: Range<Int>, data: Range<Int>)] = []
    var start = 0
    while bytes.count - start >= overhead {
      let lengthBytes = bytes[start..<start + 8]
      guard readLittleEndian(bytes[start + 8..<start + 12]) == UInt64(CRC32C.checksum(lengthBytes).masked) else { break }
      let length = readLittleEndian(lengthBytes)
      guard length <= UInt64(bytes.count - start - overhead) else { break }
      let data = start + 12..<start + 12 + Int(length)
      let end = data.upperBound + 4
      guard readLittleEndian(bytes[data.upperBound..<end]) == UInt64(CRC32C.checksum(bytes[data]).masked) else { break }
      found.append((start..<end, data))
      start = end
    }
    return found
  }

  private static func littleEndian(_ value: UInt64, byteCount: Int) -> [UInt8] {
    (0..<byteCount).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  private static func readLittleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }
}
