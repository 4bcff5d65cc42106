/// DEFLATE compression (raw, no zlib wrapper): LZ77 tokens cut into blocks, each block written in
/// whichever of the three block types (stored, fixed Huffman, dynamic Huffman) is smallest.
/// Reference: RFC 1951.
public enum Deflate {
  /// Tokens per block: small enough for the dynamic codes to follow changes in the data, large
  /// enough that the dynamic header (~60–100 bytes) is amortized.
  private static let tokensPerBlock = 16384
  /// Stored blocks carry at most 65535 bytes each (LEN is 16 bits).
  private static let maxStoredLength = 65535

  /// The raw DEFLATE stream of `input`.
  public static func compress(_ input: [UInt8]) -> [UInt8] {
    let tokens = LZ77.tokens(for: input)
    var writer = BitWriter(reservingCapacity: input.count / 2 + 64)
    guard !tokens.isEmpty else {
      // An empty stream is one final fixed block holding only end-of-block.
      writer.write(1, bits: 1)
      writer.write(1, bits: 2)
      FixedCodes.literalLength.write(DeflateTables.endOfBlock, to: &writer)
      return writer.finish()
    }
    var tokenStart = 0
    var byteStart = 0
    while tokenStart < tokens.count {
      let tokenEnd = min(tokenStart + tokensPerBlock, tokens.count)
      let block = tokens[tokenStart..<tokenEnd]
      let byteCount = block.reduce(0) { $0 + ($1.isLiteral ? 1 : Int($1.value)) }
      writeBlock(block, raw: input[byteStart..<(byteStart + byteCount)],
                 isFinal: tokenEnd == tokens.count, to: &writer)
      tokenStart = tokenEnd
      byteStart += byteCount
    }
    return writer.finish()
  }

  /// Writes `tokens` (which expand to `raw`) as the cheapest of the three block types.
  private static func writeBlock(_ tokens: ArraySlice<LZToken>, raw: ArraySlice<UInt8>, isFinal: Bool,
                                 to writer: inout BitWriter) {
    let stats = SymbolStatistics(tokens)
    let dynamic = DynamicHeader(stats)
    let fixedBits = 3 + FixedCodes.literalLength.cost(of: stats.literalLength)
      + FixedCodes.distance.cost(of: stats.distance) + stats.extraBits
    let dynamicBits = 3 + dynamic.bitCount + dynamic.literalLength.cost(of: stats.literalLength)
      + dynamic.distance.cost(of: stats.distance) + stats.extraBits
    let storedChunks = (raw.count + maxStoredLength - 1) / maxStoredLength
    // Per chunk: 3 header bits, up to 7 alignment bits, LEN and NLEN.
    let storedBits = storedChunks * (3 + 7 + 32) + raw.count * 8

    if storedBits < min(fixedBits, dynamicBits) {
      writeStored(raw, isFinal: isFinal, to: &writer)
    } else if fixedBits <= dynamicBits {
      writer.write(isFinal ? 1 : 0, bits: 1)
      writer.write(1, bits: 2)
      writeTokens(tokens, literalLength: FixedCodes.literalLength, distance: FixedCodes.distance, to: &writer)
    } else {
      writer.write(isFinal ? 1 : 0, bits: 1)
      writer.write(2, bits: 2)
      dynamic.write(to: &writer)
      writeTokens(tokens, literalLength: dynamic.literalLength, distance: dynamic.distance, to: &writer)
    }
  }

  /// Stored blocks: byte-aligned LEN, NLEN (one's complement) and the bytes themselves.
  private static func writeStored(_ raw: ArraySlice<UInt8>, isFinal: Bool, to writer: inout BitWriter) {
    var start = raw.startIndex
    repeat {
      let end = min(start + maxStoredLength, raw.endIndex)
      writer.write(isFinal && end == raw.endIndex ? 1 : 0, bits: 1)
      writer.write(0, bits: 2)
      writer.alignToByte()
      let length = UInt32(end - start)
      writer.write(length, bits: 16)
      writer.write(~length & 0xFFFF, bits: 16)
      writer.append(bytes: raw[start..<end])
      start = end
    } while start < raw.endIndex
  }

  /// The Huffman-coded body of a block, ending with the end-of-block symbol.
  private static func writeTokens(_ tokens: ArraySlice<LZToken>, literalLength: CanonicalCode,
                                  distance: CanonicalCode, to writer: inout BitWriter) {
    for token in tokens {
      if token.isLiteral {
        literalLength.write(Int(token.value), to: &writer)
        continue
      }
      let length = Int(token.value)
      let lengthIndex = Int(DeflateTables.lengthSymbolIndex[length])
      literalLength.write(257 + lengthIndex, to: &writer)
      writer.write(UInt32(length - DeflateTables.lengthBase[lengthIndex]),
                   bits: DeflateTables.lengthExtraBits[lengthIndex])
      let dist = Int(token.distance)
      let distanceIndex = DeflateTables.distanceSymbol(dist)
      distance.write(distanceIndex, to: &writer)
      writer.write(UInt32(dist - DeflateTables.distanceBase[distanceIndex]),
                   bits: DeflateTables.distanceExtraBits[distanceIndex])
    }
    literalLength.write(DeflateTables.endOfBlock, to: &writer)
  }
}

/// The fixed Huffman codes of RFC 1951 §3.2.6.
enum FixedCodes {
  static let literalLength = CanonicalCode(lengths: DeflateTables.fixedLiteralLengths)
  static let distance = CanonicalCode(lengths: DeflateTables.fixedDistanceLengths)
}

/// Symbol frequencies of one block and the total count of extra bits its matches need.
struct SymbolStatistics {
  var literalLength = [Int](repeating: 0, count: DeflateTables.literalLengthSymbols)
  var distance = [Int](repeating: 0, count: DeflateTables.distanceSymbols)
  var extraBits = 0

  init(_ tokens: ArraySlice<LZToken>) {
    for token in tokens {
      if token.isLiteral {
        literalLength[Int(token.value)] += 1
        continue
      }
      let lengthIndex = Int(DeflateTables.lengthSymbolIndex[Int(token.value)])
      literalLength[257 + lengthIndex] += 1
      let distanceIndex = DeflateTables.distanceSymbol(Int(token.distance))
      distance[distanceIndex] += 1
      extraBits += DeflateTables.lengthExtraBits[lengthIndex] + DeflateTables.distanceExtraBits[distanceIndex]
    }
    literalLength[DeflateTables.endOfBlock] = 1
  }
}
