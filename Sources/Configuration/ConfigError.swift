/// A configuration problem the user can fix. `description` is the whole message: the file name,
/// the line where known, the dotted key, what was expected and what was found.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
  public let description: String

  public init(_ description: String) { self.description = description }
}
