import Yams

/// Where a node of the configuration tree came from, for error messages.
enum ConfigOrigin: Equatable {
  /// 1-based line and column in the YAML file.
  case file(line: Int, column: Int)
  /// A `--set key.path=value` argument, as given.
  case override(String)
}

/// The parsed configuration tree: YAML's mappings, sequences and scalars, with origins.
///
/// Scalars keep their text; they are typed only when read (`ConfigScalar`), so `lr: 1e-3`
/// is a number although YAML 1.1 would resolve it to a string.
struct ConfigNode {
  enum Content {
    /// `plain` is false for quoted and block scalars, which are never null.
    case scalar(String, plain: Bool)
    case mapping([ConfigEntry])
    case sequence([ConfigNode])
  }

  var content: Content
  var origin: ConfigOrigin

  static func emptyMapping(_ origin: ConfigOrigin) -> ConfigNode {
    ConfigNode(content: .mapping([]), origin: origin)
  }

  /// YAML's null: an empty plain scalar, `~` or `null`. A null value counts as absent.
  var isNull: Bool {
    guard case .scalar(let text, plain: true) = content else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(text)
  }

  var entries: [ConfigEntry]? {
    if case .mapping(let entries) = content { return entries }
    return nil
  }

  /// The value under `key` of a mapping, nil when absent or null.
  func child(_ key: String) -> ConfigNode? {
    guard let entry = entries?.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
    return entry.value
  }

  /// The value as an error message shows what was found: `'fast'`, `a list`, `a section`.
  var foundDescription: String {
    switch content {
    case .scalar(let text, _): return isNull ? "null" : "'\(text)'"
    case .mapping: return "a section (a mapping of keys)"
    case .sequence: return "a list"
    }
  }
}

/// One `key: value` of a mapping.
struct ConfigEntry {
  var key: String
  var keyOrigin: ConfigOrigin
  var value: ConfigNode
}

extension ConfigNode {
  /// Converts a Yams tree, rejecting duplicate keys (YAML allows the parser to keep either).
  /// - Parameter overrideOrigin: set when the node is the value of a `--set` argument.
  init(_ node: Node, source: String, overrideOrigin: ConfigOrigin? = nil) throws(ConfigError) {
    let origin = overrideOrigin ?? Self.origin(of: node.mark)
    switch node {
    case .scalar(let scalar):
      self.init(content: .scalar(scalar.string, plain: scalar.style == .plain), origin: origin)
    case .sequence(let sequence):
      var items: [ConfigNode] = []
      for item in sequence {
        items.append(try ConfigNode(item, source: source, overrideOrigin: overrideOrigin))
      }
      self.init(content: .sequence(items), origin: origin)
    case .mapping(let mapping):
      var entries: [ConfigEntry] = []
      for (keyNode, valueNode) in mapping {
        let key = keyNode.scalar?.string ?? "\(keyNode)"
        let keyOrigin = overrideOrigin ?? Self.origin(of: keyNode.mark)
        if let first = entries.first(where: { $0.key == key }) {
          throw ConfigError(
            "\(Self.location(keyOrigin, source: source)): duplicate key '\(key)' (first at "
              + "\(Self.location(first.keyOrigin, source: source))); keep one of them")
        }
        let value = try ConfigNode(valueNode, source: source, overrideOrigin: overrideOrigin)
        entries.append(ConfigEntry(key: key, keyOrigin: keyOrigin, value: value))
      }
      self.init(content: .mapping(entries), origin: origin)
    }
  }

  private static func origin(of mark: Mark?) -> ConfigOrigin {
    .file(line: mark?.line ?? 0, column: mark?.column ?? 0)
  }

  /// `run.yaml:4:3`, or `run.yaml (--set a.b=1)` for values from the command line.
  static func location(_ origin: ConfigOrigin, source: String) -> String {
    switch origin {
    case .file(let line, let column):
      return line > 0 ? "\(source):\(line):\(column)" : source
    case .override(let argument):
      return "\(source) (--set \(argument))"
    }
  }
}
