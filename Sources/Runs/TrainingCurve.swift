import Foundation
import Graphics

/// The training curve of a run, read back from its `metrics.jsonl`: training loss and, where
/// recorded, validation NLL, both in nats per dimension, against the step.
public enum TrainingCurve {
  /// Writes the chart; returns how many points were non-finite (written as JSON null, issue 11),
  /// which the chart marks as not drawn and the caller warns about.
  @discardableResult
  public static func write(metrics path: String, to output: String, title: String) throws -> Int {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var train: [(Double, Double)] = [], validation: [(Double, Double)] = []
    for line in text.split(separator: "\n") {
      guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let step = (object["step"] as? NSNumber)?.doubleValue else { continue }
      if let v = number(object["nats_per_dim"]) { train.append((step, v)) }
      if let v = number(object["val_nats_per_dim"]) { validation.append((step, v)) }
    }
    var series = [LineChart.Series(name: "train", x: train.map(\.0), y: train.map(\.1))]
    if !validation.isEmpty {
      series.append(LineChart.Series(name: "validation", x: validation.map(\.0), y: validation.map(\.1)))
    }
    let chart = LineChart(title: title, xLabel: "step", yLabel: "nats/dim", series: series)
    try PNG.write(chart.render(), to: URL(fileURLWithPath: output))
    return chart.nonFinitePointCount
  }

  /// A number, NaN for a JSON null (how the metrics record a non-finite value), nil when absent.
  private static func number(_ value: Any?) -> Double? {
    if value is NSNull { return .nan }
    return (value as? NSNumber)?.doubleValue
  }
}
