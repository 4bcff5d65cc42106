#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Evaluation

/// The per-pixel histogram baseline of an image dataset: every dimension j gets its own
/// categorical distribution over the `bins` levels, fitted by counting with add-k smoothing,
/// and dimensions are independent.
///
/// ```
/// P_j(v) = (count_j(v) + k) / (N + k·bins)          bits/dim = −(1/(N'·D)) Σ_i Σ_j log₂ P_j(x_ij)
/// ```
/// Its bits/dim are those of the discrete data, directly comparable to a flow's dequantized
/// bits/dim (a flow that does not beat it is not learning). k = 1 is Laplace's add-one rule.
public struct PixelHistogram: Sendable {
  public let bins: Int
  /// Values per example, D.
  public let dimensions: Int
  /// The k of add-k smoothing.
  public let smoothing: Double
  /// Examples counted, N.
  public let examples: Int
  /// [D, bins] log P_j(v) in nats.
  public let logProbabilities: [Double]

  /// Counts the levels of every example of `source` (values must be integers in 0 ..< bins).
  public init(fittedTo source: any ExampleSource, bins: Int, smoothing: Double = 1) throws {
    precondition(bins >= 2 && smoothing > 0, "need bins ≥ 2 and smoothing > 0, got \(bins) and \(smoothing)")
    let d = source.exampleShape.count
    var counts = [Double](repeating: 0, count: d * bins)
    try Self.forEachLevel(of: source, bins: bins) { j, v in counts[j * bins + v] += 1 }
    let total = Double(source.count) + smoothing * Double(bins)
    self.bins = bins
    dimensions = d
    self.smoothing = smoothing
    examples = source.count
    logProbabilities = counts.map { log(($0 + smoothing) / total) }
  }

  /// Mean −log₂ P(x) per dimension over every example of `source`.
  public func bitsPerDimension(on source: any ExampleSource) throws -> Double {
    precondition(source.exampleShape.count == dimensions,
                 "the histogram has \(dimensions) dimensions but the examples \(source.exampleShape.count)")
    var nats = 0.0
    try Self.forEachLevel(of: source, bins: bins) { j, v in nats -= logProbabilities[j * bins + v] }
    return LikelihoodUnits.bits(nats: nats / Double(source.count * dimensions))
  }

  /// Calls `body(j, level)` for every value of every example, reading 256 examples at a time.
  private static func forEachLevel(of source: any ExampleSource, bins: Int,
                                   _ body: (Int, Int) -> Void) throws {
    let d = source.exampleShape.count, chunk = 256
    var values = [Float](repeating: 0, count: chunk * d)
    for start in stride(from: 0, to: source.count, by: chunk) {
      let indices = Array(start ..< min(start + chunk, source.count))
      try indices.withUnsafeBufferPointer { i in
        try values.withUnsafeMutableBufferPointer {
          try source.copyExamples(i, into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< i.count * d]))
        }
      }
      for (k, value) in values[0 ..< indices.count * d].enumerated() {
        precondition(value >= 0 && value < Float(bins) && value.rounded(.down) == value,
                     "example \(start + k / d) holds \(value), not a level in 0..<\(bins)")
        body(k % d, Int(value))
      }
    }
  }
}
