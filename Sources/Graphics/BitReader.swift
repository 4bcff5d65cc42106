/// Reads DEFLATE bit fields least-significant bit first from a byte array.
///
/// Bits past the end read as zero so the Huffman fast path can always peek a full index; every
/// consume checks that it stays within the real data and throws `InflateError.truncated` otherwise.
struct BitReader {
  private let bytes: [UInt8]
  /// Index of the next byte to load into `buffer`.
  private var nextByte: Int
  private var buffer: UInt64 = 0
  /// Bits in `buffer` that came from real input (the rest above them are zero padding).
  private var available = 0

  init(_ bytes: [UInt8], startingAt offset: Int = 0) {
    self.bytes = bytes
    self.nextByte = offset
  }

  /// Loads bytes until at least 32 bits are buffered or the input ends.
  @inline(__always)
  private mutating func refill() {
    while available <= 56 && nextByte < bytes.count {
      buffer |= UInt64(bytes[nextByte]) << available
      nextByte += 1
      available += 8
    }
  }

  /// The next `count` bits without consuming them (zero beyond the end of input).
  @inline(__always)
  mutating func peek(_ count: Int) -> UInt32 {
    if available < count { refill() }
    return UInt32(truncatingIfNeeded: buffer & ((UInt64(1) << count) - 1))
  }

  /// Drops `count` bits that were peeked.
  @inline(__always)
  mutating func consume(_ count: Int) throws(InflateError) {
    if available < count { refill() }
    guard count <= available else { throw .truncated }
    buffer >>= count
    available -= count
  }

  /// Reads `count` bits (≤ 32) as an unsigned number.
  @inline(__always)
  mutating func read(_ count: Int) throws(InflateError) -> Int {
    let value = peek(count)
    try consume(count)
    return Int(value)
  }

  /// Discards bits up to the next byte boundary.
  mutating func alignToByte() {
    let drop = available % 8
    buffer >>= drop
    available -= drop
  }

  /// Reads `count` whole bytes; the reader must be byte-aligned.
  mutating func readBytes(_ count: Int, into output: inout [UInt8]) throws(InflateError) {
    precondition(available % 8 == 0, "BitReader.readBytes needs a byte-aligned reader")
    var remaining = count
    while remaining > 0 && available > 0 {
      output.append(UInt8(truncatingIfNeeded: buffer))
      buffer >>= 8
      available -= 8
      remaining -= 1
    }
    guard remaining <= bytes.count - nextByte else { throw .truncated }
    output.append(contentsOf: bytes[nextByte..<(nextByte + remaining)])
    nextByte += remaining
  }

  /// The byte offset just past the last consumed bit, rounded up to a whole byte.
  var byteOffset: Int { nextByte - available / 8 }
}
