/// Where a value sits in a configuration: `trainer.lr`, `model.layers[2].kind`.
public struct ConfigPath: Hashable, Sendable, CustomStringConvertible {
  public enum Component: Hashable, Sendable {
    case key(String)
    case index(Int)
  }

  public private(set) var components: [Component]

  public init(_ components: [Component] = []) { self.components = components }

  /// The top level of the file.
  public static let root = ConfigPath()

  public var isRoot: Bool { components.isEmpty }

  public func appending(_ key: String) -> ConfigPath { ConfigPath(components + [.key(key)]) }

  public func appending(index: Int) -> ConfigPath { ConfigPath(components + [.index(index)]) }

  /// Dotted form, as written after `--set`.
  public var description: String {
    var text = ""
    for component in components {
      switch component {
      case .key(let key): text += (text.isEmpty ? "" : ".") + key
      case .index(let i): text += "[\(i)]"
      }
    }
    return text
  }

  /// How error messages name the level this path opens: "'trainer'" or "the top level".
  var levelName: String { isRoot ? "the top level" : "'\(self)'" }
}
