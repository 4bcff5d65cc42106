import Foundation
import XCTest
import _TestSupport

/// The `laminar` executable as a user meets it: every subcommand's help, and for every bad
/// argument an exit status other than 0, a message naming the bad thing, and no trap.
final class CommandLineTests: XCTestCase {
  /// What a trap or a crash prints; a user error must never end this way.
  private static let trapTexts = ["Fatal error", "Swift runtime failure", "Precondition failed", "Backtracing"]

  override class func tearDown() {
    if case .success(let fixture) = CLIFixture.shared { fixture.remove() }
    super.tearDown()
  }

  func testEveryCommandPrintsItsHelp() throws {
    for (command, mentions) in helpCases {
      let arguments = command.split(separator: " ").map(String.init) + ["--help"]
      let outcome = try LaminarProcess.run(arguments)
      XCTAssertEqual(outcome.status, 0, "laminar \(command) --help: \(outcome.errors)")
      for text in ["USAGE: laminar \(command)"] + mentions {
        XCTAssertTrue(outcome.output.contains(text), "laminar \(command) --help lacks '\(text)':\n\(outcome.output)")
      }
    }
  }

  /// Two cases at a time (the machine's cores); the assertions run afterwards, in table order.
  func testBadArgumentsFailNamingTheBadThing() throws {
    let fixture = try CLIFixture.shared.get()
    let outcomes = ResultSlots<LaminarProcess.Outcome>(count: failingCases.count)
    DispatchQueue.concurrentPerform(iterations: failingCases.count) { index in
      outcomes.set(index, Result { try LaminarProcess.run(failingCases[index].arguments.map(fixture.expand), timeout: 30) })
    }
    for (row, outcome) in zip(failingCases, outcomes.values) {
      let outcome = try XCTUnwrap(outcome)
      let command = "laminar " + row.arguments.joined(separator: " ")
      let result = try outcome.get()
      let printed = result.output + result.errors
      XCTAssertFalse(result.timedOut, "\(command) was still running after 30 s")
      XCTAssertEqual(result.reason, .exit, "\(command) died of signal \(result.status):\n\(printed)")
      XCTAssertNotEqual(result.status, 0, "\(command) succeeded:\n\(printed)")
      for trap in Self.trapTexts {
        XCTAssertFalse(printed.contains(trap), "\(command) printed '\(trap)':\n\(printed)")
      }
      for mention in row.mentions.map(fixture.expand) {
        XCTAssertTrue(result.errors.contains(mention), "\(command): the error does not name '\(mention)':\n\(printed)")
      }
    }
  }
}
