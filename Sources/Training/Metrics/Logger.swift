import Collectives
import Foundation

/// Messages for the person running the job, written to standard error.
///
/// The logger knows its rank: `info` and `warning` print on rank 0 only, `error` prints on
/// every rank with the rank number, so call sites never test `rank == 0` (STYLE: explicit over
/// implicit). Messages are autoclosures and are not even built on ranks that drop them.
public struct Logger: Sendable {
  public let rank: Int
  private let sink: @Sendable (String) -> Void

  /// - Parameter sink: receives each finished line without its newline; defaults to standard error.
  public init(rank: Int, sink: @escaping @Sendable (String) -> Void = Logger.standardError) {
    precondition(rank >= 0, "rank \(rank) < 0")
    self.rank = rank
    self.sink = sink
  }

  public init(communicator: some Communicator,
              sink: @escaping @Sendable (String) -> Void = Logger.standardError) {
    self.init(rank: communicator.rank, sink: sink)
  }

  /// Progress and status; rank 0 only.
  public func info(_ message: @autoclosure () -> String) {
    guard rank == 0 else { return }
    sink(message())
  }

  /// Something the user should look at that does not stop the run; rank 0 only.
  public func warning(_ message: @autoclosure () -> String) {
    guard rank == 0 else { return }
    sink("warning: " + message())
  }

  /// A failure; every rank prints, since the failing rank may not be rank 0.
  public func error(_ message: @autoclosure () -> String) {
    sink("error: [rank \(rank)] " + message())
  }

  /// Writes `line` and a newline to file descriptor 2 in one call.
  public static let standardError: @Sendable (String) -> Void = { line in
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
