import Yams

/// Compares the sections of two canonical configs that must agree for a checkpoint to be resumed.
///
/// The rule: the model's sections (by default `model`) must be identical, since the parameter
/// layout and the meaning of every parameter follow from them; every other key (steps, learning
/// rate, logging, data paths) may change between runs. The example shape is checked separately
/// against the data, so a different file with the same shape is fine.
public enum ConfigComparison {
  /// One line per differing value, e.g. `model.hidden[1]: checkpoint has 64, this run has 32`.
  /// `sections` nil compares every key; `names` say whose the two configs are (ranks, say).
  public static func differences(
    saved: String, current: String, sections: [String]?, names: (saved: String, current: String) = ("checkpoint", "this run")
  ) throws(ConfigError) -> [String] {
    let old = try flatten(saved, source: "the \(names.saved)'s config")
    let new = try flatten(current, source: "the \(names.current)'s config")
    let inSections = { (key: String) in
      sections?.contains { key == $0 || key.hasPrefix($0 + ".") || key.hasPrefix($0 + "[") } ?? true
    }
    let keys = Set(old.keys).union(new.keys).filter(inSections).sorted()
    return keys.compactMap { key in
      let a = old[key], b = new[key]
      guard a != b else { return nil }
      return "\(key): \(names.saved) has \(a ?? "nothing"), \(names.current) has \(b ?? "nothing")"
    }
  }

  /// Dotted path → scalar text of every leaf; empty mappings and lists count as leaves.
  private static func flatten(_ yaml: String, source: String) throws(ConfigError) -> [String: String] {
    let node: Node?
    do {
      node = try compose(yaml: yaml)
    } catch {
      throw ConfigError(yamlErrorMessage(error, place: source))
    }
    var out: [String: String] = [:]
    if let node { collect(try ConfigNode(node, source: source), at: .root, into: &out) }
    return out
  }

  private static func collect(_ node: ConfigNode, at path: ConfigPath, into out: inout [String: String]) {
    switch node.content {
    case .scalar(let text, _):
      out[path.description] = node.isNull ? "null" : text
    case .mapping(let entries):
      if entries.isEmpty { out[path.description] = "{}" }
      for entry in entries { collect(entry.value, at: path.appending(entry.key), into: &out) }
    case .sequence(let items):
      if items.isEmpty { out[path.description] = "[]" }
      for (i, item) in items.enumerated() { collect(item, at: path.appending(index: i), into: &out) }
    }
  }
}
