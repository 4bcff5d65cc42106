/// One LZ77 output item: a literal byte, or a back-reference of `length` bytes `distance` bytes back.
struct LZToken {
  /// The literal byte (when `distance == 0`) or the match length 3…258.
  var value: UInt16
  /// 0 for a literal, else 1…32768.
  var distance: UInt16

  static func literal(_ byte: UInt8) -> LZToken { LZToken(value: UInt16(byte), distance: 0) }
  var isLiteral: Bool { distance == 0 }
}

/// Greedy LZ77 with one step of lazy evaluation over hash chains of 3-byte prefixes.
///
/// Every position is linked into a chain of earlier positions with the same 3-byte hash; a match
/// search walks at most `maxChain` links within the 32 KiB window. Before taking a match at `i`
/// the matcher also tries `i + 1` and emits a literal first when that match is longer.
struct LZ77 {
  private static let hashBits = 15
  private static let maxChain = 96
  /// A match this long is good enough to stop walking the chain.
  private static let niceLength = 128

  /// The token sequence for `input`.
  static func tokens(for input: [UInt8]) -> [LZToken] {
    var tokens: [LZToken] = []
    tokens.reserveCapacity(input.count / 2)
    input.withUnsafeBufferPointer { data in
      var chains = HashChains(count: data.count)
      var i = 0
      var pending = chains.longestMatch(in: data, at: i)
      while i < data.count {
        let current = pending
        guard current.length >= DeflateTables.minMatch else {
          tokens.append(.literal(data[i]))
          chains.insert(data, at: i)
          i += 1
          pending = chains.longestMatch(in: data, at: i)
          continue
        }
        chains.insert(data, at: i)
        let next = chains.longestMatch(in: data, at: i + 1)
        if next.length > current.length {
          tokens.append(.literal(data[i]))
          i += 1
          pending = next
          continue
        }
        tokens.append(LZToken(value: UInt16(current.length), distance: UInt16(current.distance)))
        for position in (i + 1)..<(i + current.length) { chains.insert(data, at: position) }
        i += current.length
        pending = chains.longestMatch(in: data, at: i)
      }
    }
    return tokens
  }

  /// Heads and links of the hash chains: `head[h]` is the latest position with hash `h`,
  /// `previous[p & mask]` the one before position `p`.
  private struct HashChains {
    var head: [Int32]
    var previous: [Int32]
    let mask = DeflateTables.windowSize - 1

    init(count: Int) {
      head = [Int32](repeating: -1, count: 1 << LZ77.hashBits)
      previous = [Int32](repeating: -1, count: Swift.min(count, DeflateTables.windowSize))
    }

    @inline(__always)
    private func hash(_ data: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
      let key = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
      return Int((key &* 2_654_435_761) >> UInt32(32 - LZ77.hashBits))
    }

    /// Links position `i` into its chain (positions without 3 bytes left have no hash).
    mutating func insert(_ data: UnsafeBufferPointer<UInt8>, at i: Int) {
      guard i + DeflateTables.minMatch <= data.count else { return }
      let h = hash(data, i)
      previous[i & mask] = head[h]
      head[h] = Int32(i)
    }

    /// The longest earlier occurrence of the bytes at `i` (length 0 when none of 3+ bytes).
    func longestMatch(in data: UnsafeBufferPointer<UInt8>, at i: Int) -> (length: Int, distance: Int) {
      guard i + DeflateTables.minMatch <= data.count else { return (0, 0) }
      let limit = Swift.min(DeflateTables.maxMatch, data.count - i)
      var best = (length: 0, distance: 0)
      var candidate = Int(head[hash(data, i)])
      var steps = 0
      while candidate >= 0 && i - candidate <= DeflateTables.windowSize && steps < LZ77.maxChain {
        // Checking the byte that would extend the best match first rejects most candidates cheaply.
        if data[candidate + best.length] == data[i + best.length] || best.length == 0 {
          var length = 0
          while length < limit && data[candidate + length] == data[i + length] { length += 1 }
          if length > best.length {
            best = (length, i - candidate)
            if length >= Swift.min(limit, LZ77.niceLength) { break }
          }
        }
        let next = Int(previous[candidate & mask])
        // A link that is not older than its position was overwritten by a newer one: chain ends.
        if next >= candidate { break }
        candidate = next
        steps += 1
      }
      return best.length >= DeflateTables.minMatch ? best : (0, 0)
    }
  }
}
