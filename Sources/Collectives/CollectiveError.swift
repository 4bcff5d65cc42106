/// A user-actionable failure of a collective detected without a transport (e.g. by
/// `LocalCommunicator` or while validating a setting); the message names the value and the fix.
public struct CollectiveError: Error, CustomStringConvertible, Sendable {
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
