import Collectives
import VariationalTargets

/// Counts of 2-D samples on a `bins × bins` grid over a box, read as a density estimate:
/// ```
/// q̂(cell) = count(cell) / (N · cell area)
/// ```
/// where N counts every sample, inside the box or not, so mass that q puts outside the box is
/// missing from the picture rather than spread over it. Counts are exact integers in Float64, so
/// summing the ranks' histograms gives the same counts as one rank binning every sample.
public struct SampleHistogram: Sendable, Equatable {
  public let box: IntegrationBox
  public let bins: Int
  /// [bins, bins]; row 0 is the bottom (smallest y), column 0 the left (smallest x), as `Heatmap`.
  public private(set) var counts: [Double]
  /// Samples added, inside the box or not.
  public private(set) var total: Double = 0

  public init(box: IntegrationBox, bins: Int) {
    precondition(bins > 0, "a histogram needs at least one bin per axis, got \(bins)")
    self.box = box
    self.bins = bins
    counts = Array(repeating: 0, count: bins * bins)
  }

  /// Adds the rows of `points` [n, 2] (x, y interleaved).
  public mutating func add<S: BinaryFloatingPoint>(points: UnsafeBufferPointer<S>) {
    precondition(points.count % 2 == 0, "points must be [n, 2], got \(points.count) values")
    let width = box.x.upperBound - box.x.lowerBound, height = box.y.upperBound - box.y.lowerBound
    for k in stride(from: 0, to: points.count, by: 2) {
      total += 1
      let u = (Double(points[k]) - box.x.lowerBound) / width
      let v = (Double(points[k + 1]) - box.y.lowerBound) / height
      guard u >= 0, u < 1, v >= 0, v < 1 else { continue }
      counts[Int(v * Double(bins)) * bins + Int(u * Double(bins))] += 1
    }
  }

  /// Sums the histograms of all ranks, in place, on every rank.
  public mutating func allReduce(_ communicator: any Communicator) throws {
    counts.append(total)
    try communicator.allReduce(&counts, .sum)
    total = counts.removeLast()
  }

  /// [bins, bins] density estimate per cell; all zeros before any sample.
  public var density: [Double] {
    let cellArea = (box.x.upperBound - box.x.lowerBound) * (box.y.upperBound - box.y.lowerBound)
      / Double(bins * bins)
    guard total > 0 else { return counts }
    return counts.map { $0 / (total * cellArea) }
  }
}
