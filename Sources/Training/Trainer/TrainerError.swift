/// A failure that ends a training run: the message names what went wrong and the fix.
///
/// Thrown identically on every rank (collective decisions and rank-0 failures are broadcast
/// first), so a caller can print it on rank 0 and exit non-zero everywhere.
public struct TrainerError: Error, CustomStringConvertible, Equatable, Sendable {
  public let description: String

  public init(_ description: String) { self.description = description }
}
