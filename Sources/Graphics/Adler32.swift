/// Adler-32, the checksum that ends a zlib stream: two sums modulo 65521 packed as `b << 16 | a`.
///
/// ```
/// a = 1 + Σ byte_i            (mod 65521)
/// b = Σ a_i after each byte   (mod 65521)
/// ```
/// Adler-32 of the ASCII bytes "Wikipedia" is 0x11E60398.
/// Reference: RFC 1950, section 8.
public struct Adler32: Sendable {
  private static let modulus: UInt32 = 65521
  /// The largest run of bytes whose sums cannot overflow 32 bits before reducing (RFC 1950's NMAX).
  private static let runLength = 5552

  private var a: UInt32 = 1
  private var b: UInt32 = 0

  public init() {}

  public var value: UInt32 { (b << 16) | a }

  /// Feeds `bytes` through the checksum, reducing modulo 65521 once per 5552 bytes.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    var sumA = a
    var sumB = b
    var pending = 0
    for byte in bytes {
      sumA &+= UInt32(byte)
      sumB &+= sumA
      pending += 1
      if pending == Adler32.runLength {
        sumA %= Adler32.modulus
        sumB %= Adler32.modulus
        pending = 0
      }
    }
    a = sumA % Adler32.modulus
    b = sumB % Adler32.modulus
  }

  /// The checksum of `bytes` in one call.
  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var adler = Adler32()
    adler.update(bytes)
    return adler.value
  }
}
