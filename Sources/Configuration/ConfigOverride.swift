import Yams

/// One `--set key.path=value` argument: the value is parsed as YAML (so `3e-4`, `true`, `[64, 64]`
/// and `cosine` all mean what they would in the file) and replaces or adds the key, creating
/// the sections above it. Keys the program does not know are caught later by `rejectUnusedKeys`.
struct ConfigOverride {
  let argument: String
  let keys: [String]
  let value: ConfigNode
  private let source: String

  init(_ argument: String, source: String) throws(ConfigError) {
    self.argument = argument
    self.source = source
    guard let equals = argument.firstIndex(of: "=") else {
      throw ConfigError("\(source) (--set \(argument)): expected key.path=value, e.g. --set trainer.lr=3e-4")
    }
    keys = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !keys.contains(where: \.isEmpty) else {
      throw ConfigError("\(source) (--set \(argument)): the key path '\(argument[..<equals])' has an empty "
                        + "part; write keys separated by single dots, e.g. trainer.lr")
    }
    let text = String(argument[argument.index(after: equals)...])
    let origin = ConfigOrigin.override(argument)
    do {
      let node = try compose(yaml: text)
      value = try node.map { node throws(ConfigError) in
        try ConfigNode(node, source: source, overrideOrigin: origin)
      } ?? ConfigNode(content: .scalar("", plain: true), origin: origin)
    } catch let error as ConfigError {
      throw error
    } catch {
      throw ConfigError(yamlErrorMessage(error, place: "\(source) (--set \(argument))", lineOffset: false))
    }
  }

  func apply(to tree: inout ConfigNode) throws(ConfigError) {
    try apply(to: &tree, depth: 0)
  }

  private func apply(to node: inout ConfigNode, depth: Int) throws(ConfigError) {
    let origin = ConfigOrigin.override(argument)
    if node.isNull { node = .emptyMapping(origin) }
    guard var entries = node.entries else {
      let parent = ConfigPath(keys[..<depth].map { .key($0) })
      throw ConfigError("\(source) (--set \(argument)): cannot set '\(keys.joined(separator: "."))' "
                        + "because '\(parent)' is \(node.foundDescription), not a section")
    }
    let key = keys[depth]
    let isLast = depth == keys.count - 1
    if let i = entries.firstIndex(where: { $0.key == key }) {
      if isLast {
        entries[i].keyOrigin = origin
        entries[i].value = value
      } else {
        try apply(to: &entries[i].value, depth: depth + 1)
      }
    } else {
      var child = isLast ? value : ConfigNode.emptyMapping(origin)
      if !isLast { try apply(to: &child, depth: depth + 1) }
      entries.append(ConfigEntry(key: key, keyOrigin: origin, value: child))
    }
    node.content = .mapping(entries)
  }
}
