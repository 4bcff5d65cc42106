/// Why a DEFLATE or zlib stream could not be decoded.
public enum InflateError: Error, Equatable, CustomStringConvertible {
  case truncated
  case invalidBlockType
  case storedLengthMismatch
  case invalidCodeLengths
  case invalidCode
  case distanceTooFar(distance: Int, available: Int)
  case badZlibHeader(String)
  case checksumMismatch(expected: UInt32, actual: UInt32)
  case outputTooLarge(limit: Int)

  public var description: String {
    switch self {
    case .truncated: "the compressed data ends in the middle of a block"
    case .invalidBlockType: "a block has the reserved type 3"
    case .storedLengthMismatch: "a stored block's LEN and NLEN fields disagree"
    case .invalidCodeLengths: "a Huffman code description is over-subscribed or malformed"
    case .invalidCode: "a bit pattern matches no Huffman code"
    case let .distanceTooFar(distance, available):
      "a match reaches \(distance) bytes back but only \(available) bytes were decoded"
    case let .badZlibHeader(why): "bad zlib header: \(why)"
    case let .checksumMismatch(expected, actual):
      "Adler-32 mismatch: the stream says 0x\(String(expected, radix: 16)), "
        + "the data gives 0x\(String(actual, radix: 16))"
    case let .outputTooLarge(limit): "the data inflates to more than \(limit) bytes"
    }
  }
}

/// DEFLATE decompression of stored, fixed-Huffman and dynamic-Huffman blocks.
/// Reference: RFC 1951, section 3.2.
public enum Inflate {
  /// Decodes the raw DEFLATE stream starting at `offset` in `data`.
  ///
  /// - Parameters:
  ///   - expectedSize: a capacity hint for the output.
  ///   - limit: decoding throws `outputTooLarge` past this many bytes, so a corrupt or hostile
  ///     stream cannot exhaust memory.
  /// - Returns: the decoded bytes and the offset just past the stream's last byte.
  public static func decompress(_ data: [UInt8], from offset: Int = 0, expectedSize: Int = 0,
                                limit: Int = Int.max) throws(InflateError) -> (bytes: [UInt8], end: Int) {
    var reader = BitReader(data, startingAt: offset)
    var output: [UInt8] = []
    output.reserveCapacity(min(expectedSize, limit))
    var isFinal = false
    while !isFinal {
      isFinal = try reader.read(1) == 1
      switch try reader.read(2) {
      case 0: try copyStored(&reader, into: &output)
      case 1:
        try inflateBlock(&reader, FixedDecoders.literalLength, FixedDecoders.distance, into: &output, limit: limit)
      case 2:
        let (literalLength, distance) = try readDynamicCodes(&reader)
        try inflateBlock(&reader, literalLength, distance, into: &output, limit: limit)
      default: throw .invalidBlockType
      }
      guard output.count <= limit else { throw .outputTooLarge(limit: limit) }
    }
    return (output, reader.byteOffset)
  }

  private static func copyStored(_ reader: inout BitReader, into output: inout [UInt8]) throws(InflateError) {
    reader.alignToByte()
    let length = try reader.read(16)
    let complement = try reader.read(16)
    guard length == ~complement & 0xFFFF else { throw .storedLengthMismatch }
    try reader.readBytes(length, into: &output)
  }

  /// Decodes symbols until end-of-block, appending literals and copying matches.
  private static func inflateBlock(_ reader: inout BitReader, _ literalLength: HuffmanDecoder,
                                   _ distance: HuffmanDecoder, into output: inout [UInt8],
                                   limit: Int) throws(InflateError) {
    while true {
      let symbol = try literalLength.decode(from: &reader)
      if symbol < 256 {
        output.append(UInt8(symbol))
        continue
      }
      if symbol == DeflateTables.endOfBlock { return }
      let lengthIndex = symbol - 257
      guard lengthIndex < DeflateTables.lengthBase.count else { throw .invalidCode }
      let length = DeflateTables.lengthBase[lengthIndex]
        + (try reader.read(DeflateTables.lengthExtraBits[lengthIndex]))
      let distanceIndex = try distance.decode(from: &reader)
      guard distanceIndex < DeflateTables.distanceBase.count else { throw .invalidCode }
      let dist = DeflateTables.distanceBase[distanceIndex]
        + (try reader.read(DeflateTables.distanceExtraBits[distanceIndex]))
      guard dist <= output.count else { throw .distanceTooFar(distance: dist, available: output.count) }
      guard output.count + length <= limit else { throw .outputTooLarge(limit: limit) }
      // Byte by byte on purpose: a match may overlap the bytes it is producing (distance < length).
      var source = output.count - dist
      for _ in 0..<length {
        output.append(output[source])
        source += 1
      }
    }
  }

  /// Reads a dynamic block header and returns its literal/length and distance decoders.
  private static func readDynamicCodes(_ reader: inout BitReader) throws(InflateError)
    -> (HuffmanDecoder, HuffmanDecoder) {
    let literalCount = try reader.read(5) + 257
    let distanceCount = try reader.read(5) + 1
    let codeLengthCount = try reader.read(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else { throw .invalidCodeLengths }
    var codeLengthLengths = [UInt8](repeating: 0, count: 19)
    for symbol in DeflateTables.codeLengthOrder.prefix(codeLengthCount) {
      codeLengthLengths[symbol] = UInt8(try reader.read(3))
    }
    let codeLengthDecoder = try HuffmanDecoder(lengths: codeLengthLengths[...])
    var lengths: [UInt8] = []
    lengths.reserveCapacity(literalCount + distanceCount)
    while lengths.count < literalCount + distanceCount {
      let symbol = try codeLengthDecoder.decode(from: &reader)
      let (value, repeats): (UInt8, Int)
      switch symbol {
      case 0...15: (value, repeats) = (UInt8(symbol), 1)
      case 16:
        guard let previous = lengths.last else { throw .invalidCodeLengths }
        (value, repeats) = (previous, 3 + (try reader.read(2)))
      case 17: (value, repeats) = (0, 3 + (try reader.read(3)))
      default: (value, repeats) = (0, 11 + (try reader.read(7)))
      }
      guard lengths.count + repeats <= literalCount + distanceCount else { throw .invalidCodeLengths }
      lengths.append(contentsOf: repeatElement(value, count: repeats))
    }
    // Without an end-of-block code the block could never end.
    guard lengths[DeflateTables.endOfBlock] > 0 else { throw .invalidCodeLengths }
    return (try HuffmanDecoder(lengths: lengths[0..<literalCount]),
            try HuffmanDecoder(lengths: lengths[literalCount...]))
  }
}

/// Decoders of the fixed Huffman codes (RFC 1951 §3.2.6), built once.
private enum FixedDecoders {
  // The fixed tables are valid codes, so building them cannot fail.
  static let literalLength = try! HuffmanDecoder(lengths: DeflateTables.fixedLiteralLengths[...])
  static let distance = try! HuffmanDecoder(lengths: DeflateTables.fixedDistanceLengths[...])
}
