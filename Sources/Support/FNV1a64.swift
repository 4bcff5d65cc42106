/// The 64-bit FNV-1a hash, fed incrementally:
/// ```
/// h = 0xcbf29ce484222325;  for each byte b:  h = (h ^ b) · 0x100000001b3  (mod 2⁶⁴)
/// ```
/// Not cryptographic: it detects accidental corruption (truncation, flipped bits, torn writes),
/// and is short enough to re-implement anywhere (a Python one-liner) to verify a checkpoint.
///
/// Reference: Fowler, Noll & Vo, "The FNV Non-Cryptographic Hash Algorithm" (IETF draft).
public struct FNV1a64: Sendable {
  public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  public static let prime: UInt64 = 0x0000_0100_0000_01b3

  public private(set) var value: UInt64 = FNV1a64.offsetBasis

  public init() {}

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var h = value
    for b in bytes { h = (h ^ UInt64(b)) &* FNV1a64.prime }
    value = h
  }

  public mutating func update(_ text: String) {
    var h = value
    for b in text.utf8 { h = (h ^ UInt64(b)) &* FNV1a64.prime }
    value = h
  }

  public mutating func update(byte: UInt8) {
    value = (value ^ UInt64(byte)) &* FNV1a64.prime
  }
}

extension FNV1a64 {
  /// The hash of a string's UTF-8 bytes.
  public static func hash(_ text: String) -> UInt64 {
    var h = FNV1a64()
    h.update(text)
    return h.value
  }

  /// The hash of a Float buffer's bytes: equal exactly when the buffers are bit-identical (up to
  /// the hash's negligible collision rate).
  public static func hash(_ values: UnsafeBufferPointer<Float>) -> UInt64 {
    var h = FNV1a64()
    h.update(UnsafeRawBufferPointer(values))
    return h.value
  }
}
