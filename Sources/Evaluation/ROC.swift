/// The area under the ROC curve of scores for binary labels, where a higher score means
/// "more likely positive" (for anomaly detection pass the anomaly score, e.g. −log p(x)).
///
/// Computed in the Mann–Whitney form with average ranks, so tied scores count one half:
/// ```
/// AUROC = (Σ_{positives} rank − P(P + 1)/2) / (P · N)
///       = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻)        (ranks 1…P+N, ties share their mean rank)
/// ```
/// Reference: Mann & Whitney 1947; Hanley & McNeil 1982 (AUC = U / (P·N)).
public enum ROC {
  public static func areaUnderCurve<F: BinaryFloatingPoint>(scores: [F], labels: [Bool]) throws -> Double {
    guard scores.count == labels.count else {
      throw MetricError("AUROC got \(scores.count) scores but \(labels.count) labels; "
        + "score the same rows the labels describe")
    }
    if let i = scores.firstIndex(where: { $0.isNaN }) {
      throw MetricError("AUROC got a NaN score at row \(i); a NaN cannot be ranked, fix the model or drop the row")
    }
    let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
    let negatives = labels.count - positives
    guard positives > 0 && negatives > 0 else {
      throw MetricError("AUROC needs both classes: all \(labels.count) labels are \(positives > 0 ? 1 : 0); "
        + "add examples labelled \(positives > 0 ? 0 : 1)")
    }
    let ranks = averageRanks(scores)
    var rankSum = 0.0
    for (rank, label) in zip(ranks, labels) where label { rankSum += rank }
    let p = Double(positives), n = Double(negatives)
    return (rankSum - p * (p + 1) / 2) / (p * n)
  }

  /// Labels given as integers, which must be 0 (negative) or 1 (positive).
  public static func areaUnderCurve<F: BinaryFloatingPoint>(scores: [F], labels: [Int]) throws -> Double {
    if let i = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
      throw MetricError("label \(labels[i]) at row \(i) is not binary; AUROC needs labels 0 (normal) or 1 (anomaly)")
    }
    return try areaUnderCurve(scores: scores, labels: labels.map { $0 == 1 })
  }

  /// The 1-based rank of each value in ascending order; tied values share the mean of the
  /// ranks they span. values: [n] without NaN → [n]
  public static func averageRanks<F: BinaryFloatingPoint>(_ values: [F]) -> [Double] {
    precondition(!values.contains { $0.isNaN }, "NaN values cannot be ranked")
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
      // Positions start..<end hold ranks start+1 ... end; their mean is (start + 1 + end) / 2.
      let shared = Double(start + 1 + end) / 2
      for position in start..<end { ranks[order[position]] = shared }
      start = end
    }
    return ranks
  }
}
