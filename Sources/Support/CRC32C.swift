/// CRC-32C (Castagnoli), the checksum of TFRecord framing, fed incrementally:
/// ```
/// reflected polynomial 0x82F63B78, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF
/// masked(crc) = ((crc >> 15) | (crc << 17)) + 0xA282EAD8   (mod 2³²)
/// ```
/// Written here because zlib offers only the IEEE CRC-32 (`crc32`), not the Castagnoli one.
/// Byte-at-a-time with a 256-entry table: event files are small, so speed does not matter.
///
/// Reference: Castagnoli, Bräuer & Herrmann 1993; RFC 3720 §B.4 (iSCSI) for the test vectors.
public struct CRC32C: Sendable {
  private static let table: [UInt32] = (0..<256).map { byte in
    var c = UInt32(byte)
    for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
    return c
  }

  private var state: UInt32 = 0xFFFF_FFFF

  public init() {}

  /// The checksum of the bytes fed so far.
  public var value: UInt32 { state ^ 0xFFFF_FFFF }

  /// The checksum as TFRecord stores it: rotated and offset, because a CRC of data that itself
  /// contains CRCs is weak (the TensorFlow rationale for masking).
  public var masked: UInt32 { ((value >> 15) | (value << 17)) &+ 0xA282_EAD8 }

  public mutating func update(_ bytes: some Sequence<UInt8>) {
    var c = state
    for b in bytes { c = Self.table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    state = c
  }

  /// The checksum of `bytes`.
  public static func checksum(_ bytes: some Sequence<UInt8>) -> CRC32C {
    var crc = CRC32C()
    crc.update(bytes)
    return crc
  }
}
