/// A canonical Huffman code given by its code lengths, with codes stored bit-reversed for `BitWriter`.
///
/// Codes of equal length are consecutive integers in symbol order, and shorter codes precede longer
/// ones lexicographically, so the lengths alone determine every code.
/// Reference: RFC 1951, section 3.2.2.
struct CanonicalCode {
  /// Code length of every symbol; 0 means the symbol does not occur.
  let lengths: [UInt8]
  /// The code of every symbol, bit-reversed so it can be written least-significant bit first.
  let reversedCodes: [UInt32]

  static let maxBits = 15

  init(lengths: [UInt8]) {
    self.lengths = lengths
    var countPerLength = [Int](repeating: 0, count: CanonicalCode.maxBits + 1)
    for length in lengths where length > 0 {
      precondition(Int(length) <= CanonicalCode.maxBits, "code length \(length) exceeds 15 bits")
      countPerLength[Int(length)] += 1
    }
    var nextCode = [UInt32](repeating: 0, count: CanonicalCode.maxBits + 2)
    var code: UInt32 = 0
    for bits in 1...CanonicalCode.maxBits {
      code = (code + UInt32(countPerLength[bits - 1])) << 1
      nextCode[bits] = code
    }
    var codes = [UInt32](repeating: 0, count: lengths.count)
    for (symbol, length) in lengths.enumerated() where length > 0 {
      codes[symbol] = CanonicalCode.reverse(nextCode[Int(length)], bits: Int(length))
      nextCode[Int(length)] += 1
    }
    reversedCodes = codes
  }

  /// The low `bits` bits of `code` in reverse order.
  @inline(__always)
  static func reverse(_ code: UInt32, bits: Int) -> UInt32 {
    code.bitReversed >> (32 - bits)
  }

  /// Writes the code of `symbol`.
  @inline(__always)
  func write(_ symbol: Int, to writer: inout BitWriter) {
    writer.write(reversedCodes[symbol], bits: Int(lengths[symbol]))
  }

  /// Bits needed to code symbols with the given frequencies (without extra bits).
  func cost(of frequencies: [Int]) -> Int {
    var bits = 0
    for (symbol, count) in frequencies.enumerated() where count > 0 {
      bits += count * Int(lengths[symbol])
    }
    return bits
  }
}

extension UInt32 {
  /// The 32 bits in reverse order.
  var bitReversed: UInt32 {
    var v = self
    v = ((v >> 1) & 0x5555_5555) | ((v & 0x5555_5555) << 1)
    v = ((v >> 2) & 0x3333_3333) | ((v & 0x3333_3333) << 2)
    v = ((v >> 4) & 0x0F0F_0F0F) | ((v & 0x0F0F_0F0F) << 4)
    v = ((v >> 8) & 0x00FF_00FF) | ((v & 0x00FF_00FF) << 8)
    return (v >> 16) | (v << 16)
  }
}
