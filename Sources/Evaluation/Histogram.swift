/// Counts of values in consecutive bins, for plotting score distributions side by side.
///
/// Bin k holds `edges[k] ≤ v < edges[k+1]`, and the last bin also holds `v == edges.last`
/// (NumPy's `np.histogram` convention). Values outside the edges and non-finite values are
/// counted apart rather than dropped silently.
public struct Histogram: Sendable, Equatable {
  /// [bins + 1], strictly increasing.
  public let edges: [Double]
  /// [bins]
  public let counts: [Int]
  /// Finite values below `edges.first` / above `edges.last`.
  public let below: Int, above: Int
  /// NaN and ±∞ values.
  public let nonFinite: Int

  /// Bins with the given edges; use the same edges for histograms that are plotted together.
  public init(_ values: some Sequence<Double>, edges: [Double]) {
    precondition(edges.count >= 2, "a histogram needs at least 2 edges, got \(edges.count)")
    precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 } && edges.allSatisfy(\.isFinite),
                 "edges must be finite and strictly increasing")
    var counts = [Int](repeating: 0, count: edges.count - 1)
    var below = 0, above = 0, nonFinite = 0
    for v in values {
      if !v.isFinite {
        nonFinite += 1
      } else if v < edges[0] {
        below += 1
      } else if v > edges[edges.count - 1] {
        above += 1
      } else {
        counts[Histogram.bin(of: v, edges: edges)] += 1
      }
    }
    (self.edges, self.counts, self.below, self.above, self.nonFinite) = (edges, counts, below, above, nonFinite)
  }

  /// `bins` equal bins over `range`, by default the finite values' minimum...maximum
  /// (widened by ½ on each side when they are all equal, as NumPy does).
  public init(_ values: [Double], bins: Int, range: ClosedRange<Double>? = nil) {
    let span = range ?? Histogram.finiteRange(of: values) ?? 0...1
    self.init(values, edges: Histogram.uniformEdges(bins: bins, range: span))
  }

  /// `bins + 1` equally spaced edges from `range.lowerBound` to exactly `range.upperBound`.
  public static func uniformEdges(bins: Int, range: ClosedRange<Double>) -> [Double] {
    precondition(bins >= 1, "bins must be at least 1, got \(bins)")
    // ±½ as NumPy, but at least a millionth of the value: ±½ vanishes in the rounding of 1e20.
    let pad = max(0.5, abs(range.lowerBound) * 1e-6)
    let (low, high) = range.lowerBound < range.upperBound
      ? (range.lowerBound, range.upperBound) : (range.lowerBound - pad, range.upperBound + pad)
    let span = high - low
    return (0...bins).map { k in
      let f = Double(k) / Double(bins)
      // Two huge values of opposite sign have an infinite span: interpolate instead.
      return k == bins ? high : span.isFinite ? low + span * Double(k) / Double(bins) : low * (1 - f) + high * f
    }
  }

  /// minimum...maximum of the finite values; nil when there are none.
  public static func finiteRange(of values: some Sequence<Double>) -> ClosedRange<Double>? {
    var low = Double.infinity, high = -Double.infinity
    for v in values where v.isFinite {
      low = min(low, v)
      high = max(high, v)
    }
    return low <= high ? low...high : nil
  }

  /// counts[k] / (Σ counts · width k): a density that integrates to 1 over the edges
  /// (`np.histogram(density=True)`); all zeros when no value fell inside.
  public var density: [Double] {
    let inside = counts.reduce(0, +)
    guard inside > 0 else { return counts.map { _ in 0 } }
    return counts.indices.map { Double(counts[$0]) / (Double(inside) * (edges[$0 + 1] - edges[$0])) }
  }

  /// The bin of a finite value inside the edges, by binary search.
  private static func bin(of v: Double, edges: [Double]) -> Int {
    var low = 0, high = edges.count - 1  // invariant: edges[low] ≤ v, and v < edges[high] unless high is last
    while high - low > 1 {
      let middle = (low + high) / 2
      if edges[middle] <= v { low = middle } else { high = middle }
    }
    return low
  }
}
