/// The constant tables of RFC 1951 §3.2.5–3.2.7 shared by the encoder and the decoder.
enum DeflateTables {
  /// Shortest and longest match DEFLATE can express, and how far back a match may reach.
  static let minMatch = 3
  static let maxMatch = 258
  static let windowSize = 32768

  /// Symbol 256 ends a block; 257…285 are match lengths.
  static let endOfBlock = 256
  static let literalLengthSymbols = 286
  static let distanceSymbols = 30

  /// Smallest length coded by symbol 257 + i, and its count of extra bits.
  static let lengthBase: [Int] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
  ]
  static let lengthExtraBits: [Int] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]

  /// Smallest distance coded by distance symbol i, and its count of extra bits.
  static let distanceBase: [Int] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtraBits: [Int] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
  ]

  /// The order in which a dynamic block header lists the code-length code lengths (§3.2.7).
  static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  /// Code lengths of the fixed literal/length code (§3.2.6): 288 symbols, two of them unused.
  static let fixedLiteralLengths: [UInt8] = (0..<288).map { symbol in
    switch symbol {
    case 0...143: 8
    case 144...255: 9
    case 256...279: 7
    default: 8
    }
  }

  /// The fixed distance code: 30 usable symbols of 5 bits (32 are defined, 30 and 31 never occur).
  static let fixedDistanceLengths = [UInt8](repeating: 5, count: 32)

  /// Length symbol index (0…28, add 257 for the symbol) for every match length 3…258.
  static let lengthSymbolIndex: [UInt8] = {
    var table = [UInt8](repeating: 0, count: maxMatch + 1)
    for index in 0..<lengthBase.count {
      let upper = index + 1 < lengthBase.count ? lengthBase[index + 1] - 1 : maxMatch
      // Length 258 has its own symbol (285) although 284's range would reach it.
      for length in lengthBase[index]...min(upper, maxMatch) { table[length] = UInt8(index) }
    }
    return table
  }()

  /// The distance symbol of `distance` (1…32768).
  @inline(__always)
  static func distanceSymbol(_ distance: Int) -> Int {
    // The bases double every two symbols, so the symbol follows from the bit length of distance - 1.
    if distance <= 4 { return distance - 1 }
    let d = distance - 1
    let bits = Int.bitWidth - d.leadingZeroBitCount  // ≥ 3
    return 2 * (bits - 1) + ((d >> (bits - 2)) & 1)
  }
}
