import Support

/// One mapping of the configuration, read through typed accessors.
///
/// Every accessor declares its key (so `Config.rejectUnusedKeys` knows it) and records the value
/// it returns, default or not, in the canonical text. A null value (`key:`, `key: ~`) counts as
/// absent. Accessors without a default throw when the key is missing.
public struct ConfigSection {
  let config: Config
  /// The dotted path of this section, `.root` for the top level.
  public let path: ConfigPath
  /// The mapping, or nil when the section is absent from the file (all keys take defaults).
  let node: ConfigNode?

  // MARK: Scalars

  /// The value under `key`, or nil when absent; throws when present but not a `T`.
  public func value<T: ConfigScalar>(_ key: String, as type: T.Type = T.self) throws(ConfigError) -> T? {
    config.declare(key, in: path)
    guard let child = node?.child(key) else {
      config.record(.scalar("null"), at: path.appending(key))
      return nil
    }
    let value = try parse(child, key: key, as: T.self)
    config.record(.scalar(value.canonicalText), at: path.appending(key))
    return value
  }

  /// The value under `key`, or `defaultValue` when absent.
  public func value<T: ConfigScalar>(_ key: String, default defaultValue: T) throws(ConfigError) -> T {
    let value = try value(key, as: T.self) ?? defaultValue
    config.record(.scalar(value.canonicalText), at: path.appending(key))
    return value
  }

  /// The value under `key`; throws naming the key when it is absent.
  public func required<T: ConfigScalar>(_ key: String, as type: T.Type = T.self) throws(ConfigError) -> T {
    guard let value = try value(key, as: T.self) else { throw missing(key, T.typeDescription) }
    return value
  }

  public func int(_ key: String) throws(ConfigError) -> Int { try required(key) }
  public func int(_ key: String, default d: Int) throws(ConfigError) -> Int { try value(key, default: d) }
  public func double(_ key: String) throws(ConfigError) -> Double { try required(key) }
  public func double(_ key: String, default d: Double) throws(ConfigError) -> Double { try value(key, default: d) }
  public func bool(_ key: String) throws(ConfigError) -> Bool { try required(key) }
  public func bool(_ key: String, default d: Bool) throws(ConfigError) -> Bool { try value(key, default: d) }
  public func string(_ key: String) throws(ConfigError) -> String { try required(key) }
  public func string(_ key: String, default d: String) throws(ConfigError) -> String { try value(key, default: d) }

  // MARK: Lists

  /// The list under `key` (`[64, 64]` or a block list); `defaultValue` when absent, or a
  /// missing-key error when there is no default.
  public func list<T: ConfigScalar>(_ key: String, of type: T.Type = T.self, default defaultValue: [T]? = nil)
    throws(ConfigError) -> [T]
  {
    config.declare(key, in: path)
    let childPath = path.appending(key)
    let values: [T]
    if let child = node?.child(key) {
      guard case .sequence(let items) = child.content else {
        throw wrongType(child, key: key, expected: "a list of \(T.typeDescription.pluralized)")
      }
      values = try items.map { item throws(ConfigError) in try parse(item, key: key, as: T.self) }
    } else if let defaultValue {
      values = defaultValue
    } else {
      throw missing(key, "a list of \(T.typeDescription.pluralized)")
    }
    config.record(.list(values.map { .scalar($0.canonicalText) }), at: childPath)
    return values
  }

  public func ints(_ key: String, default d: [Int]? = nil) throws(ConfigError) -> [Int] {
    try list(key, of: Int.self, default: d)
  }

  public func doubles(_ key: String, default d: [Double]? = nil) throws(ConfigError) -> [Double] {
    try list(key, of: Double.self, default: d)
  }

  public func strings(_ key: String, default d: [String]? = nil) throws(ConfigError) -> [String] {
    try list(key, of: String.self, default: d)
  }

  // MARK: Choices

  /// One of the cases of `E`, spelled as its raw value; `defaultValue` when absent, or a
  /// missing-key error when there is no default.
  public func choice<E: RawRepresentable & CaseIterable>(
    _ key: String, of type: E.Type = E.self, default defaultValue: E? = nil
  ) throws(ConfigError) -> E where E.RawValue == String {
    config.declare(key, in: path)
    let names = E.allCases.map(\.rawValue)
    let expected = "one of " + names.joined(separator: ", ")
    let chosen: E
    if let child = node?.child(key) {
      guard case .scalar(let text, _) = child.content, let value = E(rawValue: text) else {
        var error = wrongType(child, key: key, expected: expected).description
        if case .scalar(let text, _) = child.content,
           let guess = EditDistance.suggestion(for: text, among: names) {
          error += ". Did you mean '\(guess)'?"
        }
        throw ConfigError(error)
      }
      chosen = value
    } else if let defaultValue {
      chosen = defaultValue
    } else {
      throw missing(key, expected)
    }
    config.record(.scalar(chosen.rawValue.canonicalText), at: path.appending(key))
    return chosen
  }

  // MARK: Sections

  /// The mapping under `key`; an empty section (all defaults) when absent.
  public func section(_ key: String) throws(ConfigError) -> ConfigSection {
    if let present = try optionalSection(key) { return present }
    let childPath = path.appending(key)
    config.record(.mapping([:]), at: childPath)
    return ConfigSection(config: config, path: childPath, node: nil)
  }

  /// The mapping under `key`, or nil when absent (for optional features such as `ema:`).
  public func optionalSection(_ key: String) throws(ConfigError) -> ConfigSection? {
    config.declare(key, in: path)
    let childPath = path.appending(key)
    guard let child = node?.child(key) else {
      // Null, not {}, so the canonical text reads back as "absent" too.
      config.record(.scalar("null"), at: childPath)
      return nil
    }
    guard child.entries != nil else {
      throw wrongType(child, key: key, expected: "a section (a mapping of keys)")
    }
    config.record(.mapping([:]), at: childPath)
    return ConfigSection(config: config, path: childPath, node: child)
  }

  /// A list of mappings under `key` (e.g. one per layer); empty when absent.
  public func sections(_ key: String) throws(ConfigError) -> [ConfigSection] {
    config.declare(key, in: path)
    let childPath = path.appending(key)
    guard let child = node?.child(key) else {
      config.record(.list([]), at: childPath)
      return []
    }
    guard case .sequence(let items) = child.content else {
      throw wrongType(child, key: key, expected: "a list of sections")
    }
    config.record(.list(items.map { _ in .mapping([:]) }), at: childPath)
    return try items.enumerated().map { (i, item) throws(ConfigError) in
      guard item.entries != nil else {
        throw wrongType(item, key: "\(key)[\(i)]", expected: "a section (a mapping of keys)")
      }
      return ConfigSection(config: config, path: childPath.appending(index: i), node: item)
    }
  }

  // MARK: Validation

  /// Throws naming the key, its value and `requirement` unless `condition` holds, e.g.
  /// `try trainer.check(steps > 0, "steps", "must be > 0")`.
  public func check(_ condition: Bool, _ key: String, _ requirement: String) throws(ConfigError) {
    guard !condition else { return }
    let childPath = path.appending(key)
    if let child = node?.child(key) {
      throw ConfigError("\(config.location(child.origin)): '\(childPath)' \(requirement); "
                        + "found \(child.foundDescription)")
    }
    throw ConfigError("\(config.source): '\(childPath)' \(requirement), which its default value "
                      + "is not; set it in the file or pass --set \(childPath)=VALUE")
  }

  /// Throws naming the key unless `bytes` (nil: the estimate overflowed `Int`) fits in memory by
  /// `MemoryBudget`; `what` names what the bytes hold and `fix` says how to shrink them.
  public func checkMemory(_ bytes: Int?, _ key: String, for what: String, fix: String) throws(ConfigError) {
    guard let excess = MemoryBudget.excess(bytes: bytes) else { return }
    try check(false, key, "is too large: \(what) \(excess); \(fix)")
  }

  // MARK: Errors

  private func parse<T: ConfigScalar>(_ node: ConfigNode, key: String, as type: T.Type) throws(ConfigError) -> T {
    guard case .scalar(let text, _) = node.content, !node.isNull, let value = T(configText: text) else {
      throw wrongType(node, key: key, expected: T.typeDescription)
    }
    return value
  }

  private func wrongType(_ node: ConfigNode, key: String, expected: String) -> ConfigError {
    ConfigError("\(config.location(node.origin)): '\(path.appending(key))' must be \(expected), "
                + "found \(node.foundDescription)")
  }

  private func missing(_ key: String, _ expected: String) -> ConfigError {
    let keyPath = path.appending(key)
    let place = path.isRoot ? "at the top level" : "under '\(path)'"
    return ConfigError("\(config.source): missing required key '\(keyPath)' (\(expected)); "
                       + "add it \(place) or pass --set \(keyPath)=VALUE")
  }
}

extension String {
  /// "an integer" → "integers", "a number" → "numbers" for list descriptions.
  fileprivate var pluralized: String {
    var noun = self
    for article in ["an ", "a "] where noun.hasPrefix(article) { noun.removeFirst(article.count) }
    if let space = noun.firstIndex(of: " ") { return noun[..<space] + "s" + noun[space...] }
    return noun + "s"
  }
}
