/// Optimal length-limited Huffman code lengths by the package-merge algorithm.
///
/// ```
/// items₀ = leaves sorted by weight
/// itemsₖ = merge(leaves, pairs of itemsₖ₋₁)          k = 1 … limit-1
/// length(s) = occurrences of leaf s in the first 2(n-1) items of items_{limit-1}
/// ```
/// Reference: Larmore & Hirschberg 1990, "A fast algorithm for optimal length-limited Huffman codes".
enum HuffmanLengths {
  /// Code lengths (≤ `limit`) minimizing Σ frequency·length; symbols of frequency 0 get length 0.
  ///
  /// A DEFLATE decoder needs a complete code, so when fewer than two symbols occur the caller must
  /// add a second one (see `DeflateEncoder`); a single used symbol gets length 1 here.
  static func build(frequencies: [Int], limit: Int) -> [UInt8] {
    let used = frequencies.indices.filter { frequencies[$0] > 0 }
    precondition(used.count <= 1 << limit, "\(used.count) symbols cannot be coded in \(limit) bits")
    var lengths = [UInt8](repeating: 0, count: frequencies.count)
    if used.count == 1 { lengths[used[0]] = 1 }
    guard used.count >= 2 else { return lengths }

    // Sort by weight, ties by symbol, so the result does not depend on the sort's stability.
    let leaves: [Item] = used
      .sorted { (frequencies[$0], $0) < (frequencies[$1], $1) }
      .map { Item(weight: frequencies[$0], symbols: [$0]) }
    var items = leaves
    for _ in 1..<limit {
      items = merge(leaves, packages(of: items))
    }
    for item in items.prefix(2 * (used.count - 1)) {
      for symbol in item.symbols { lengths[symbol] += 1 }
    }
    return lengths
  }

  private struct Item {
    var weight: Int
    /// Leaves inside this item, with repetition (a leaf may sit in several nested packages).
    var symbols: [Int]
  }

  /// Adjacent pairs of `items` joined into packages; an odd last item is dropped.
  private static func packages(of items: [Item]) -> [Item] {
    stride(from: 0, to: items.count - 1, by: 2).map { i in
      Item(weight: items[i].weight + items[i + 1].weight, symbols: items[i].symbols + items[i + 1].symbols)
    }
  }

  /// Merges two weight-sorted lists; leaves go first on ties, which keeps codes shallow.
  private static func merge(_ a: [Item], _ b: [Item]) -> [Item] {
    var result: [Item] = []
    result.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i].weight <= b[j].weight) {
        result.append(a[i])
        i += 1
      } else {
        result.append(b[j])
        j += 1
      }
    }
    return result
  }
}
