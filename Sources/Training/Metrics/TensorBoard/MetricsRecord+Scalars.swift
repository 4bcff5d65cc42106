import Support

extension MetricsRecord {
  /// Every number of the record as a TensorBoard scalar, tagged by its key, except `step` (the
  /// event's own step). Nested objects give `key/name` tags (`log_abs_det_per_dim/1.VectorCoupling`),
  /// which TensorBoard groups under `key`. Non-finite values stay as they are.
  var scalarSummaries: [SummaryValue] {
    fields.filter { $0.key != "step" }.flatMap { Self.scalars($0.value, tag: $0.key) }
  }

  private static func scalars(_ value: JSONValue, tag: String) -> [SummaryValue] {
    switch value {
    case .int(let i): return [.scalar(tag, Double(i))]
    case .number(let x): return [.scalar(tag, x)]
    case .bool(let b): return [.scalar(tag, b ? 1 : 0)]
    case .object(let fields): return fields.flatMap { scalars($0.value, tag: tag + "/" + $0.key) }
    // Text, lists and nulls have no scalar chart.
    case .null, .string, .array: return []
    }
  }
}

extension MetricsRecord {
  /// The step the record was made for (`init(step:epoch:)`).
  var step: Int {
    guard case .int(let step)? = fields.first(where: { $0.key == "step" })?.value else {
      preconditionFailure("a MetricsRecord's step must stay an integer")
    }
    return step
  }
}
