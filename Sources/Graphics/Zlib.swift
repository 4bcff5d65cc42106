/// The zlib container around DEFLATE: a 2-byte header, the stream, and a big-endian Adler-32.
///
/// ```
/// CMF = 0x78            (method 8 = deflate, 32 KiB window)
/// FLG such that (CMF·256 + FLG) mod 31 = 0
/// ```
/// Reference: RFC 1950.
public enum Zlib {
  /// `input` compressed into a zlib stream.
  public static func compress(_ input: [UInt8]) -> [UInt8] {
    // FLEVEL 2 (default) in the top bits; FCHECK makes the header a multiple of 31.
    let cmf: UInt8 = 0x78
    let flagBase: UInt16 = 2 << 6
    let check = 31 - (UInt16(cmf) << 8 | flagBase) % 31
    var stream: [UInt8] = [cmf, UInt8(flagBase | (check % 31))]
    stream.append(contentsOf: Deflate.compress(input))
    let adler = Adler32.checksum(input)
    stream.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: adler >> $0) })
    return stream
  }

  /// The data inside the zlib stream `stream`, checked against its Adler-32.
  ///
  /// - Parameters:
  ///   - expectedSize: a capacity hint for the output.
  ///   - limit: the most bytes the caller accepts (see `Inflate.decompress`).
  public static func decompress(_ stream: [UInt8], expectedSize: Int = 0,
                                limit: Int = Int.max) throws(InflateError) -> [UInt8] {
    guard stream.count >= 6 else { throw .truncated }
    let cmf = stream[0]
    let flags = stream[1]
    guard cmf & 0x0F == 8 else { throw .badZlibHeader("compression method \(cmf & 0x0F), only 8 (deflate) exists") }
    guard cmf >> 4 <= 7 else { throw .badZlibHeader("window size exponent \(cmf >> 4) exceeds 7") }
    guard (UInt16(cmf) << 8 | UInt16(flags)) % 31 == 0 else {
      throw .badZlibHeader("FCHECK does not make the header a multiple of 31")
    }
    guard flags & 0x20 == 0 else { throw .badZlibHeader("a preset dictionary is required, which PNG never uses") }
    let (bytes, end) = try Inflate.decompress(stream, from: 2, expectedSize: expectedSize, limit: limit)
    guard end + 4 <= stream.count else { throw .truncated }
    let expected = stream[end..<(end + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    let actual = Adler32.checksum(bytes)
    guard expected == actual else { throw .checksumMismatch(expected: expected, actual: actual) }
    return bytes
  }
}
