/// Appends bit fields to a byte array least-significant bit first, the packing DEFLATE uses.
///
/// Huffman codes are defined most-significant bit first (RFC 1951 §3.1.1), so callers pass them
/// already bit-reversed (see `CanonicalCode`); extra bits and header fields go in unchanged.
struct BitWriter {
  private(set) var bytes: [UInt8] = []
  /// Pending bits not yet flushed to `bytes`, lowest bit first.
  private var buffer: UInt64 = 0
  private var pendingBits = 0

  init(reservingCapacity capacity: Int = 0) {
    bytes.reserveCapacity(capacity)
  }

  /// Writes the low `count` bits of `value` (count ≤ 32).
  mutating func write(_ value: UInt32, bits count: Int) {
    precondition(count >= 0 && count <= 32, "BitWriter writes at most 32 bits at once, got \(count)")
    buffer |= UInt64(value & UInt32(truncatingIfNeeded: (UInt64(1) << count) - 1)) << pendingBits
    pendingBits += count
    while pendingBits >= 8 {
      bytes.append(UInt8(truncatingIfNeeded: buffer))
      buffer >>= 8
      pendingBits -= 8
    }
  }

  /// Pads with zero bits to the next byte boundary (stored blocks start on one).
  mutating func alignToByte() {
    if pendingBits > 0 {
      write(0, bits: 8 - pendingBits)
    }
  }

  /// Appends whole bytes; the writer must be byte-aligned.
  mutating func append(bytes more: some Collection<UInt8>) {
    precondition(pendingBits == 0, "BitWriter.append(bytes:) needs a byte-aligned writer")
    bytes.append(contentsOf: more)
  }

  /// Flushes pending bits (zero-padded) and returns the bytes.
  mutating func finish() -> [UInt8] {
    alignToByte()
    return bytes
  }
}
