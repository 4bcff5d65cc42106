import Evaluation
import XCTest

final class HistogramTests: XCTestCase {
  func testCountsFollowNumPysEdgeConvention() {
    // Edges 0, 1, 2, 3: 1.0 opens bin 1, 3.0 closes the last bin; −1 and 4 fall outside.
    let h = Histogram([0, 0.5, 1, 2.5, 3, -1, 4, .nan, .infinity], edges: [0, 1, 2, 3])
    XCTAssertEqual(h.counts, [2, 1, 2])
    XCTAssertEqual(h.below, 1)
    XCTAssertEqual(h.above, 1)
    XCTAssertEqual(h.nonFinite, 2)
    // density = counts / (5 · width 1)
    XCTAssertEqual(h.density, [0.4, 0.2, 0.4])
  }

  func testUniformBinsOverTheFiniteRange() {
    let h = Histogram([2, 4, 3, 10, -.infinity], bins: 4)
    XCTAssertEqual(h.edges, [2, 4, 6, 8, 10])
    XCTAssertEqual(h.counts, [2, 1, 0, 1])
    XCTAssertEqual(h.nonFinite, 1)
    XCTAssertEqual(Histogram([5, 5], bins: 2).edges, [4.5, 5, 5.5])
    XCTAssertEqual(Histogram([5, 5], bins: 2).counts, [0, 2])
    let widths = zip(h.edges.dropFirst(), h.edges).map { $0 - $1 }
    XCTAssertEqual(zip(h.density, widths).reduce(0) { $0 + $1.0 * $1.1 }, 1, accuracy: 1e-15)
  }

  func testSharedEdgesForTwoDistributions() {
    let normal = [0.1, 0.2, 0.3], anomalous = [0.9, 1.5]
    let edges = Histogram.uniformEdges(bins: 3, range: Histogram.finiteRange(of: normal + anomalous)!)
    XCTAssertEqual(edges.first, 0.1)
    XCTAssertEqual(edges.last, 1.5)
    XCTAssertEqual(Histogram(normal, edges: edges).counts, [3, 0, 0])
    XCTAssertEqual(Histogram(anomalous, edges: edges).counts, [0, 1, 1])
  }
}
