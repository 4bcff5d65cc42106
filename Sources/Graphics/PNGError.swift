/// A PNG that cannot be read or written, naming the file and what is wrong with it.
public struct PNGError: Error, CustomStringConvertible, Equatable {
  /// The file path, or a caller-given name for in-memory data.
  public let source: String
  public let problem: String

  public init(source: String, problem: String) {
    self.source = source
    self.problem = problem
  }

  public var description: String { "\(source): \(problem)" }
}
