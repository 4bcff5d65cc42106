/// The codes of a dynamic-Huffman block and the header that transmits them (RFC 1951 §3.2.7).
///
/// The header lists HLIT literal/length and HDIST distance code lengths as one sequence, run-length
/// coded with symbols 16 (repeat the previous length 3–6 times), 17 (3–10 zeros) and 18 (11–138
/// zeros), and those symbols are themselves Huffman coded with lengths of at most 7 bits.
struct DynamicHeader {
  let literalLength: CanonicalCode
  let distance: CanonicalCode
  private let codeLength: CanonicalCode
  private let literalCount: Int
  private let distanceCount: Int
  /// Number of code-length code lengths sent, in `DeflateTables.codeLengthOrder`.
  private let codeLengthCount: Int
  private let runs: [Run]
  /// Size of the header in bits (everything after the 3 block-type bits, before the data).
  let bitCount: Int

  /// One code-length symbol (0…18) and the value of its extra bits.
  private struct Run {
    var symbol: Int
    var extra: Int
  }

  private static let repeatExtraBits = [16: 2, 17: 3, 18: 7]

  init(_ stats: SymbolStatistics) {
    literalLength = CanonicalCode(lengths: HuffmanLengths.build(frequencies: stats.literalLength, limit: 15))
    // A decoder needs a complete distance code, which takes two symbols even when a block uses
    // fewer; the unused ones cost nothing in the data.
    var distanceFrequencies = stats.distance
    var padding = 0
    while distanceFrequencies.filter({ $0 > 0 }).count < 2 {
      distanceFrequencies[padding] = max(distanceFrequencies[padding], 1)
      padding += 1
    }
    distance = CanonicalCode(lengths: HuffmanLengths.build(frequencies: distanceFrequencies, limit: 15))

    literalCount = max(257, (literalLength.lengths.lastIndex { $0 > 0 } ?? 0) + 1)
    distanceCount = max(1, (distance.lengths.lastIndex { $0 > 0 } ?? 0) + 1)
    runs = DynamicHeader.runLengthCode(
      Array(literalLength.lengths.prefix(literalCount)) + Array(distance.lengths.prefix(distanceCount)))

    var frequencies = [Int](repeating: 0, count: 19)
    for run in runs { frequencies[run.symbol] += 1 }
    if frequencies.filter({ $0 > 0 }).count < 2 {
      frequencies[runs[0].symbol == 0 ? 1 : 0] += 1
    }
    let codeLengthLengths = HuffmanLengths.build(frequencies: frequencies, limit: 7)
    codeLength = CanonicalCode(lengths: codeLengthLengths)
    let lastSent = DeflateTables.codeLengthOrder.lastIndex { codeLengthLengths[$0] > 0 } ?? 0
    codeLengthCount = max(4, lastSent + 1)

    var bits = 5 + 5 + 4 + 3 * codeLengthCount
    for run in runs {
      bits += Int(codeLength.lengths[run.symbol]) + (DynamicHeader.repeatExtraBits[run.symbol] ?? 0)
    }
    bitCount = bits
  }

  func write(to writer: inout BitWriter) {
    writer.write(UInt32(literalCount - 257), bits: 5)
    writer.write(UInt32(distanceCount - 1), bits: 5)
    writer.write(UInt32(codeLengthCount - 4), bits: 4)
    for symbol in DeflateTables.codeLengthOrder.prefix(codeLengthCount) {
      writer.write(UInt32(codeLength.lengths[symbol]), bits: 3)
    }
    for run in runs {
      codeLength.write(run.symbol, to: &writer)
      if let extraBits = DynamicHeader.repeatExtraBits[run.symbol] {
        writer.write(UInt32(run.extra), bits: extraBits)
      }
    }
  }

  /// Run-length codes a sequence of code lengths with the symbols 0–18.
  private static func runLengthCode(_ lengths: [UInt8]) -> [Run] {
    var runs: [Run] = []
    var i = 0
    while i < lengths.count {
      let value = lengths[i]
      var runEnd = i
      while runEnd < lengths.count && lengths[runEnd] == value { runEnd += 1 }
      var remaining = runEnd - i
      if value == 0 {
        while remaining >= 11 {
          let n = min(remaining, 138)
          runs.append(Run(symbol: 18, extra: n - 11))
          remaining -= n
        }
        if remaining >= 3 {
          runs.append(Run(symbol: 17, extra: remaining - 3))
          remaining = 0
        }
      } else {
        // Symbol 16 repeats the previous length, so the first one is sent as itself.
        runs.append(Run(symbol: Int(value), extra: 0))
        remaining -= 1
        while remaining >= 3 {
          let n = min(remaining, 6)
          runs.append(Run(symbol: 16, extra: n - 3))
          remaining -= n
        }
      }
      runs.append(contentsOf: repeatElement(Run(symbol: Int(value), extra: 0), count: remaining))
      i = runEnd
    }
    return runs
  }
}
