/// CRC-32 as used by PNG chunks (and gzip): reflected polynomial 0xEDB88320, initial value and final
/// XOR 0xFFFFFFFF.
///
/// ```
/// var crc = CRC32()
/// crc.update(bytes)        // any number of times
/// crc.value                // 0xCBF43926 for the ASCII bytes "123456789"
/// ```
/// Reference: PNG specification (W3C, 2003), section 5.5 and annex D.
public struct CRC32: Sendable {
  /// The register before the final XOR; kept inverted so `update` can be called repeatedly.
  private var register: UInt32 = 0xFFFF_FFFF

  public init() {}

  /// The checksum of all bytes seen so far.
  public var value: UInt32 { register ^ 0xFFFF_FFFF }

  /// Feeds `bytes` through the checksum, one table lookup per byte.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    var r = register
    CRC32.table.withUnsafeBufferPointer { table in
      for byte in bytes {
        r = table[Int((r ^ UInt32(byte)) & 0xFF)] ^ (r >> 8)
      }
    }
    register = r
  }

  /// The checksum of `bytes` in one call.
  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc = CRC32()
    crc.update(bytes)
    return crc.value
  }

  /// `table[n]` is the remainder of the byte `n` shifted through eight rounds of the polynomial.
  private static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 {
      c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1
    }
    return c
  }
}
