/// A JSON value that keeps object keys in insertion order and writes non-finite numbers as `null`.
///
/// Foundation's `JSONSerialization` reorders keys and rejects NaN; metrics lines are read by
/// people as well as by pandas, so the order they were set in is kept.
public indirect enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([JSONField])

  /// The compact single-line text of this value.
  public var text: String {
    var out = ""
    write(to: &out)
    return out
  }

  func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .number(let x): out += x.isFinite ? Self.numberText(x) : "null"
    case .string(let s): Self.writeString(s, to: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, field) in fields.enumerated() {
        if i > 0 { out += "," }
        Self.writeString(field.key, to: &out)
        out += ":"
        field.value.write(to: &out)
      }
      out += "}"
    }
  }

  /// Swift's shortest round-trip spelling ("0.001", "1e-05", "3.0") is valid JSON for finite values.
  private static func numberText(_ x: Double) -> String { x.description }

  private static func writeString(_ s: String, to out: inout String) { out += JSONText.string(s) }
}

/// One key of a JSON object.
public struct JSONField: Equatable, Sendable {
  public var key: String
  public var value: JSONValue

  public init(_ key: String, _ value: JSONValue) {
    self.key = key
    self.value = value
  }
}
