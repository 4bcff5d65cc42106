import Foundation
import XCTest

/// laminar restarts itself with OPENBLAS_CORETYPE when OpenBLAS fell back to its generic kernels
/// (issue 13): the restarted process runs the command, once, and an explicit choice is never overridden.
final class BLASKernelRestartTests: XCTestCase {
  private static let notice = "restarting with OPENBLAS_CORETYPE="

  func testAnExplicitCoreTypeIsKept() throws {
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_CORETYPE"] = "Prescott"
    let outcome = try LaminarProcess.run(["bench", "--help"], environment: environment)
    XCTAssertEqual(outcome.status, 0, outcome.errors)
    XCTAssertFalse(outcome.errors.contains(Self.notice), outcome.errors)
  }

  func testTheRestartedProcessRunsTheCommandOnce() throws {
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_CORETYPE"] = nil
    let outcome = try LaminarProcess.run(["bench", "--help"], environment: environment)
    XCTAssertEqual(outcome.status, 0, outcome.errors)
    XCTAssertTrue(outcome.output.contains("USAGE: laminar bench"), outcome.output)
    // On a CPU OpenBLAS knows there is no restart; on one it does not, exactly one.
    XCTAssertLessThanOrEqual(outcome.errors.components(separatedBy: Self.notice).count - 1, 1, outcome.errors)
  }
}
