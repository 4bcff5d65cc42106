import Collectives
import Glibc

/// Runs named checks on every rank and decides each one collectively: a check fails when any
/// rank recorded a failure or threw. Every check must make the same collectives on every rank.
final class MPITestHarness {
  let comm: any Communicator
  private(set) var passed = 0
  private(set) var failed = 0

  init(_ comm: any Communicator) {
    self.comm = comm
  }

  var rank: Int { comm.rank }
  var size: Int { comm.size }

  func run(_ name: String, _ body: (inout Expectations) throws -> Void) {
    var expectations = Expectations()
    do {
      try body(&expectations)
    } catch {
      expectations.fail("threw \(error)")
    }
    for failure in expectations.failures {
      writeError("rank \(rank) of \(size): FAIL \(name): \(failure)")
    }
    let failingRanks: Int64
    do {
      failingRanks = try comm.allReduced(Int64(expectations.failures.isEmpty ? 0 : 1), .sum)
    } catch {
      comm.abort(code: 3, message: "could not combine the results of '\(name)': \(error)")
    }
    if failingRanks == 0 { passed += 1 } else { failed += 1 }
    if rank == 0 {
      print(failingRanks == 0 ? "PASS \(name)" : "FAIL \(name) (on \(failingRanks) of \(size) ranks)")
    }
  }
}

/// The failures one rank recorded in one check.
struct Expectations {
  private(set) var failures: [String] = []

  mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
  }

  /// Messages are capped so a wrong 40 MiB buffer prints a few lines, not millions.
  mutating func fail(_ message: String) {
    if failures.count < 5 { failures.append(message) } else if failures.count == 5 {
      failures.append("(further failures of this check not shown)")
    }
  }
}

/// Unbuffered, so a rank's failure lines are out before the collective that combines them.
func writeError(_ text: String) {
  let line = text + "\n"
  _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
