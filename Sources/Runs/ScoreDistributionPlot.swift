import Evaluation
import Foundation
import Graphics

/// Overlaid histograms of log-likelihood scores for normal and anomalous examples: how well a
/// density model separates them, beyond the single AUROC number.
public enum ScoreDistributionPlot {
  /// `scores` in nats; `anomalous[i]` marks example i. Bins span the finite scores of both groups;
  /// non-finite scores have no bin: the title counts them, and so does the returned number (for a
  /// warning). With no finite score at all the picture is still written, empty.
  @discardableResult
  public static func write(scores: [Double], anomalous: [Bool], to path: String, title: String) throws -> Int {
    let nonFinite = scores.filter { !$0.isFinite }.count
    let range = Histogram.finiteRange(of: scores) ?? 0...1
    let edges = Histogram.uniformEdges(bins: 40, range: range)
    let centers = zip(edges, edges.dropFirst()).map { ($0 + $1) / 2 }
    func density(_ anomaly: Bool) -> [Double] {
      let group = zip(scores, anomalous).filter { $0.1 == anomaly }.map(\.0)
      let total = max(group.count, 1)
      return Histogram(group, edges: edges).counts.map { Double($0) / Double(total) }
    }
    let note = nonFinite > 0 ? " (\(nonFinite) NaN/inf scores left out)" : ""
    let chart = LineChart(title: title + note, xLabel: "log p(x), nats", yLabel: "fraction of examples", series: [
      LineChart.Series(name: "normal", x: centers, y: density(false)),
      LineChart.Series(name: "anomalous", x: centers, y: density(true)),
    ])
    try PNG.write(chart.render(), to: URL(fileURLWithPath: path))
    return nonFinite
  }
}
