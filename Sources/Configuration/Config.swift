import Foundation
import Support
import Yams

/// A YAML configuration with `--set` overrides, read through typed accessors that record which
/// keys the program knows, so typos are caught instead of silently ignored.
///
/// ```swift
/// let config = try Config.load(path: "run.yaml", overrides: ["trainer.lr=3e-4"])
/// let trainer = try config.section("trainer")
/// let lr = try trainer.double("lr", default: 1e-3)
/// let steps = try trainer.int("steps")
/// let decay = try trainer.choice("decay", of: LearningRateDecay.self, default: .constant)
/// try config.rejectUnusedKeys()
/// let hash = config.canonicalHash      // compared across ranks
/// ```
public final class Config {
  /// The file name used in every message.
  public let source: String
  private let tree: ConfigNode
  /// Keys the program asked for, by the path of the section they were asked in.
  private var declared: [ConfigPath: [String]] = [:]
  private var resolved = ResolvedConfig()

  /// Parses `yaml` and applies `overrides` (each `key.path=value`, value parsed as YAML) on top.
  /// - Parameter source: the file name shown in messages.
  public init(yaml: String, source: String, overrides: [String] = []) throws(ConfigError) {
    self.source = source
    var tree = try Self.parse(yaml, source: source)
    for argument in overrides {
      try ConfigOverride(argument, source: source).apply(to: &tree)
    }
    self.tree = tree
  }

  /// Reads and parses the file at `path`.
  public static func load(path: String, overrides: [String] = []) throws(ConfigError) -> Config {
    guard FileManager.default.fileExists(atPath: path) else {
      throw ConfigError("config file '\(path)' does not exist; check the path given to --config")
    }
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError("cannot read config file '\(path)' as UTF-8 text: \(error.localizedDescription)")
    }
    return try Config(yaml: text, source: path, overrides: overrides)
  }

  private static func parse(_ yaml: String, source: String) throws(ConfigError) -> ConfigNode {
    let node: Node?
    do {
      node = try compose(yaml: yaml)
    } catch {
      throw ConfigError(yamlErrorMessage(error, place: source))
    }
    guard let node else { return .emptyMapping(.file(line: 0, column: 0)) }
    let tree = try ConfigNode(node, source: source)
    if tree.isNull { return .emptyMapping(tree.origin) }
    guard tree.entries != nil else {
      throw ConfigError("\(source): the top level must be a mapping of keys (key: value), "
                        + "found \(tree.foundDescription)")
    }
    return tree
  }

  /// The top level of the file.
  public var root: ConfigSection { ConfigSection(config: self, path: .root, node: tree) }

  /// The section under a top-level key; shorthand for `root.section(key)`.
  public func section(_ key: String) throws(ConfigError) -> ConfigSection {
    try root.section(key)
  }

  /// The resolved configuration as canonical YAML: every value the program read (defaults
  /// included), keys sorted, numbers in shortest round-trip form. Call after reading everything.
  public var canonicalText: String { resolved.text }

  /// FNV-1a 64 of `canonicalText`: equal on every rank that resolved the same values.
  public var canonicalHash: UInt64 { FNV1a64.hash(canonicalText) }

  // MARK: Bookkeeping for ConfigSection

  func declare(_ key: String, in section: ConfigPath) {
    if !(declared[section]?.contains(key) ?? false) { declared[section, default: []].append(key) }
  }

  func record(_ value: ResolvedConfig.Node, at path: ConfigPath) {
    resolved.set(value, at: path)
  }

  func location(_ origin: ConfigOrigin) -> String { ConfigNode.location(origin, source: source) }

  // MARK: Unknown keys

  /// Throws one error listing every key in the file or the overrides that the program never
  /// asked for, each with its line, the valid keys at its level and a likely intended key.
  public func rejectUnusedKeys() throws(ConfigError) {
    var messages: [String] = []
    collectUnknownKeys(in: tree, at: .root, into: &messages)
    guard !messages.isEmpty else { return }
    throw ConfigError(messages.joined(separator: "\n"))
  }

  private func collectUnknownKeys(in node: ConfigNode, at path: ConfigPath, into messages: inout [String]) {
    guard let entries = node.entries else { return }
    let valid = declared[path] ?? []
    for entry in entries {
      let childPath = path.appending(entry.key)
      guard valid.contains(entry.key) else {
        messages.append(unknownKeyMessage(entry, path: childPath, level: path, valid: valid))
        continue
      }
      switch entry.value.content {
      case .mapping: collectUnknownKeys(in: entry.value, at: childPath, into: &messages)
      case .sequence(let items):
        for (i, item) in items.enumerated() {
          collectUnknownKeys(in: item, at: childPath.appending(index: i), into: &messages)
        }
      case .scalar: break
      }
    }
  }

  private func unknownKeyMessage(_ entry: ConfigEntry, path: ConfigPath, level: ConfigPath, valid: [String]) -> String {
    var message = "\(location(entry.keyOrigin)): unknown key '\(path)'."
    if let guess = EditDistance.suggestion(for: entry.key, among: valid) {
      message += " Did you mean '\(level.appending(guess))'?"
    }
    if valid.isEmpty {
      message += " \(level.levelName.capitalizedFirst) takes no keys."
    } else {
      message += " Valid keys in \(level.levelName): \(valid.sorted().joined(separator: ", "))."
    }
    return message
  }
}

extension String {
  var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
