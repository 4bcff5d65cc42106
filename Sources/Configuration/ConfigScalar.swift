import Support
/// A type a configuration scalar can be read as. Int, Double, Bool and String conform; a project
/// type (a duration, a size) can conform too and is then readable with `ConfigSection.value`.
public protocol ConfigScalar {
  /// How error messages name the type: "an integer", "a number".
  static var typeDescription: String { get }
  /// Parses the scalar's text; nil when the text is not of this type.
  init?(configText: String)
  /// The value in the canonical text: one line of YAML that reads back as the same value.
  var canonicalText: String { get }
}

extension Int: ConfigScalar {
  public static var typeDescription: String { "an integer" }
  public init?(configText: String) { self.init(configText) }
  public var canonicalText: String { String(self) }
}

extension Double: ConfigScalar {
  public static var typeDescription: String { "a number" }

  /// Any finite decimal, including exponent forms YAML 1.1 would leave as strings (`1e-3`).
  public init?(configText: String) {
    guard let x = Double(configText), x.isFinite else { return nil }
    self = x
  }

  /// The shortest text that reads back bit-exactly, so `0.001` and `1e-3` canonicalize alike.
  public var canonicalText: String { description }
}

extension Bool: ConfigScalar {
  public static var typeDescription: String { "a boolean (true or false)" }

  /// Only `true`/`false` in any of YAML's three capitalizations; YAML 1.1's `yes`/`no`/`on`/`off`
  /// are refused rather than guessed.
  public init?(configText: String) {
    switch configText {
    case "true", "True", "TRUE": self = true
    case "false", "False", "FALSE": self = false
    default: return nil
    }
  }

  public var canonicalText: String { self ? "true" : "false" }
}

extension String: ConfigScalar {
  public static var typeDescription: String { "a string" }
  public init?(configText: String) { self = configText }
  /// Double-quoted with JSON escapes, which YAML reads back as the same string.
  public var canonicalText: String { JSONText.string(self) }
}
