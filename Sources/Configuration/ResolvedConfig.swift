/// The values a program actually read (from the file, an override, or a default), as a tree
/// rendered to canonical YAML: keys sorted, numbers in shortest round-trip form, strings quoted.
/// Two configs that mean the same thing give the same text, whatever their key order or spelling.
struct ResolvedConfig {
  indirect enum Node {
    case scalar(String)
    case list([Node])
    case mapping([String: Node])
  }

  private(set) var root = Node.mapping([:])

  /// Stores `value` at `path`, creating the mappings and list slots above it.
  mutating func set(_ value: Node, at path: ConfigPath) {
    Self.set(value, in: &root, components: path.components[...])
  }

  private static func set(_ value: Node, in node: inout Node, components: ArraySlice<ConfigPath.Component>) {
    guard let first = components.first else {
      // A section read again keeps what was recorded inside it.
      if case .mapping = value, case .mapping = node { return }
      node = value
      return
    }
    switch first {
    case .key(let key):
      var children: [String: Node] = [:]
      if case .mapping(let existing) = node { children = existing }
      var child = children[key] ?? .mapping([:])
      set(value, in: &child, components: components.dropFirst())
      children[key] = child
      node = .mapping(children)
    case .index(let index):
      var items: [Node] = []
      if case .list(let existing) = node { items = existing }
      while items.count <= index { items.append(.mapping([:])) }
      set(value, in: &items[index], components: components.dropFirst())
      node = .list(items)
    }
  }

  /// Block YAML, two-space indents, keys in code-point order; scalar lists in flow style.
  var text: String {
    guard case .mapping(let children) = root, !children.isEmpty else { return "{}\n" }
    return Self.lines(ofMapping: children).joined(separator: "\n") + "\n"
  }

  private static func lines(ofMapping children: [String: Node]) -> [String] {
    var out: [String] = []
    for key in children.keys.sorted() {
      let name = key.canonicalKeyText
      switch children[key]! {
      case .scalar(let text): out.append("\(name): \(text)")
      case .mapping(let inner) where inner.isEmpty: out.append("\(name): {}")
      case .mapping(let inner): out.append("\(name):"); out += indented(lines(ofMapping: inner))
      case .list(let items): out += lines(ofList: items, name: name)
      }
    }
    return out
  }

  private static func lines(ofList items: [Node], name: String) -> [String] {
    let hasSections = items.contains { item in
      if case .mapping(let inner) = item { return !inner.isEmpty }
      return false
    }
    guard hasSections else { return ["\(name): " + flowText(.list(items))] }
    var out = ["\(name):"]
    for item in items {
      var body = [flowText(item)]
      if case .mapping(let inner) = item, !inner.isEmpty { body = lines(ofMapping: inner) }
      out += indented(["- " + body[0]] + body.dropFirst().map { "  " + $0 })
    }
    return out
  }

  /// One-line YAML flow form: `[1, 2]`, `{a: 1}`.
  private static func flowText(_ node: Node) -> String {
    switch node {
    case .scalar(let text): return text
    case .list(let items): return "[" + items.map(flowText).joined(separator: ", ") + "]"
    case .mapping(let children):
      let fields = children.keys.sorted().map { "\($0.canonicalKeyText): \(flowText(children[$0]!))" }
      return "{" + fields.joined(separator: ", ") + "}"
    }
  }

  private static func indented(_ lines: [String]) -> [String] { lines.map { "  " + $0 } }
}

extension String {
  /// A key as canonical YAML writes it: bare when it is a plain identifier, quoted otherwise.
  fileprivate var canonicalKeyText: String {
    let plain = !isEmpty && unicodeScalars.allSatisfy {
      ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-"
    }
    return plain ? self : canonicalText
  }
}
