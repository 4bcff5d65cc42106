import Support
/// The values logged at one step: one line of `metrics.jsonl`.
///
/// Keys keep the order they were first set in; setting a key again replaces its value in place.
/// Conventional keys: `step`, `epoch`, `loss`, `bits_per_dim` or `nats_per_dim`, `lr`,
/// `grad_norm`, `samples_per_second`, `skipped_steps`, and `log_abs_det` (an object of per-layer
/// mean logAbsDet per dimension).
public struct MetricsRecord: Equatable, Sendable {
  public private(set) var fields: [JSONField] = []

  public init(step: Int, epoch: Int) {
    set("step", .int(step))
    set("epoch", .int(epoch))
  }

  public mutating func set(_ key: String, _ value: JSONValue) {
    if let i = fields.firstIndex(where: { $0.key == key }) {
      fields[i].value = value
    } else {
      fields.append(JSONField(key, value))
    }
  }

  public mutating func set(_ key: String, _ value: Double) { set(key, .number(value)) }

  public mutating func set(_ key: String, _ value: Int) { set(key, .int(value)) }

  /// A nested object, e.g. per-layer statistics in layer order.
  public mutating func set(_ key: String, _ values: KeyValuePairs<String, Double>) {
    set(key, .object(values.map { JSONField($0.key, .number($0.value)) }))
  }

  /// A nested object from parallel name and value lists, e.g. layer names and their mean logAbsDet.
  public mutating func set(_ key: String, names: [String], values: [Double]) {
    precondition(names.count == values.count, "\(names.count) names for \(values.count) values")
    set(key, .object(zip(names, values).map { JSONField($0, .number($1)) }))
  }

  /// The record as one line of JSON, without the newline.
  public var jsonLine: String { JSONValue.object(fields).text }
}
