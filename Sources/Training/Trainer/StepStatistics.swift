import Collectives

/// What one step sums over the examples of a rank's shard, reduced over ranks in one small
/// all-reduce (DESIGN §5): the loss, a non-finite flag, a stop-requested flag, the objective's
/// extra terms and every layer's log-determinant. Named fields over one contiguous buffer, which is what the
/// all-reduce sends.
public struct StepStatistics {
  /// [loss, non-finite flag, stop flag, terms…, layer log-dets…]
  private var buffer: [Double]
  public let termCount: Int
  public let layerCount: Int

  public init(terms: Int, layers: Int) {
    termCount = terms
    layerCount = layers
    buffer = [Double](repeating: 0, count: Self.headerCount + terms + layers)
  }

  /// Σ of the per-example loss (−log P(x) for likelihoods, log q + U for reverse KL).
  public var lossSum: Double {
    get { buffer[0] }
    set { buffer[0] = newValue }
  }

  /// Whether some rank saw a non-finite loss or gradient (after the reduce: the count of such ranks).
  public var nonFinite: Bool {
    get { buffer[1] != 0 }
    set { buffer[1] = newValue ? 1 : 0 }
  }

  /// Whether some rank was asked to stop (a SIGTERM or SIGINT, issue 11). Riding on this
  /// all-reduce makes the decision collective without a collective of its own: every rank
  /// sees the same sum after the same step and stops there.
  public var stopRequested: Bool {
    get { buffer[2] != 0 }
    set { buffer[2] = newValue ? 1 : 0 }
  }

  /// Loss, non-finite flag and stop flag come before the terms.
  private static let headerCount = 3

  /// Σ of the objective's extra term i over the examples.
  public func term(_ i: Int) -> Double { buffer[Self.headerCount + i] }
  public mutating func setTerm(_ i: Int, _ value: Double) { buffer[Self.headerCount + i] = value }

  /// Σ of layer i's log|det| over the examples.
  public func layerLogAbsDet(_ i: Int) -> Double { buffer[Self.headerCount + termCount + i] }
  public mutating func setLayerLogAbsDet(_ i: Int, _ value: Double) { buffer[Self.headerCount + termCount + i] = value }

  /// Zeroes every field before a step.
  public mutating func reset() {
    for i in buffer.indices { buffer[i] = 0 }
  }

  /// Sums every field over the ranks, in place.
  public mutating func allReduce(_ communicator: any Communicator) throws {
    try buffer.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
  }
}
