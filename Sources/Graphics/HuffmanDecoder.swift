/// Decodes one canonical Huffman code from a `BitReader`.
///
/// Codes of up to `fastBits` bits resolve with a single table lookup on the next `fastBits` input
/// bits; longer codes fall back to walking the canonical code one bit at a time, using the
/// count of codes per length (RFC 1951 §3.2.2 run backwards).
struct HuffmanDecoder {
  private static let fastBits = 9
  /// Indexed by the next `fastBits` input bits: `symbol << 4 | length`, or 0 when the code is longer.
  private var fast: [UInt16]
  /// Number of codes of each length 0…15.
  private var countPerLength: [Int]
  /// Symbols in canonical code order (by length, then symbol).
  private var sortedSymbols: [Int]

  /// Builds the decoder; throws when the lengths over-subscribe the code space. Incomplete codes
  /// are accepted (a stream may use a single distance code); their unused bit patterns throw when read.
  init(lengths: ArraySlice<UInt8>) throws(InflateError) {
    countPerLength = [Int](repeating: 0, count: CanonicalCode.maxBits + 1)
    for length in lengths { countPerLength[Int(length)] += 1 }
    countPerLength[0] = 0
    var left = 1
    for bits in 1...CanonicalCode.maxBits {
      left = left * 2 - countPerLength[bits]
      guard left >= 0 else { throw .invalidCodeLengths }
    }
    var offsets = [Int](repeating: 0, count: CanonicalCode.maxBits + 2)
    for bits in 1...CanonicalCode.maxBits { offsets[bits + 1] = offsets[bits] + countPerLength[bits] }
    sortedSymbols = [Int](repeating: 0, count: offsets[CanonicalCode.maxBits + 1])
    for (index, length) in lengths.enumerated() where length > 0 {
      sortedSymbols[offsets[Int(length)]] = index
      offsets[Int(length)] += 1
    }
    fast = [UInt16](repeating: 0, count: 1 << HuffmanDecoder.fastBits)
    fillFastTable(lengths: lengths)
  }

  /// Enters every code of ≤ `fastBits` bits under all indices that start with its (reversed) bits.
  private mutating func fillFastTable(lengths: ArraySlice<UInt8>) {
    let codes = CanonicalCode(lengths: Array(lengths))
    for (symbol, length) in codes.lengths.enumerated() where length > 0 && Int(length) <= HuffmanDecoder.fastBits {
      let entry = UInt16(symbol << 4 | Int(length))
      let stride = 1 << Int(length)
      var index = Int(codes.reversedCodes[symbol])
      while index < fast.count {
        fast[index] = entry
        index += stride
      }
    }
  }

  /// Reads one symbol.
  @inline(__always)
  func decode(from reader: inout BitReader) throws(InflateError) -> Int {
    let entry = fast[Int(reader.peek(HuffmanDecoder.fastBits))]
    if entry != 0 {
      try reader.consume(Int(entry & 0xF))
      return Int(entry >> 4)
    }
    return try decodeSlowly(from: &reader)
  }

  /// Canonical decoding bit by bit: `first` is the first code of the current length, `index` the
  /// position of its symbol in `sortedSymbols`.
  private func decodeSlowly(from reader: inout BitReader) throws(InflateError) -> Int {
    var code = 0
    var first = 0
    var index = 0
    for bits in 1...CanonicalCode.maxBits {
      code |= try reader.read(1)
      let count = countPerLength[bits]
      if code - first < count { return sortedSymbols[index + code - first] }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw .invalidCode
  }
}
