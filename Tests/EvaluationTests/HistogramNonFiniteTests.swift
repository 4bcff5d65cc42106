import Evaluation
import XCTest

/// Histograms of NaN, ±inf and huge scores keep finite, increasing edges (issue 11: the span of
/// ±1e308 overflowed to inf and tripped the edges' precondition).
final class HistogramNonFiniteTests: XCTestCase {
  func testHistogramEdgesOfHugeRangesAreFiniteAndIncreasing() {
    for range in [-1e308...1e308, 1e20...1e20, -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude] {
      let edges = Histogram.uniformEdges(bins: 40, range: range)
      XCTAssertTrue(edges.allSatisfy(\.isFinite) && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "\(range)")
    }
    let histogram = Histogram([.nan, .infinity, 1e308, -1e308], bins: 4)
    XCTAssertEqual(histogram.nonFinite, 2)
    XCTAssertEqual(histogram.counts.reduce(0, +), 2)
  }
}
