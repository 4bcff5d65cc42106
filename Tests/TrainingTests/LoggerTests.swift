import Foundation
import Training
import XCTest

/// Collects logged lines across the `@Sendable` sink boundary.
final class LineCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [String] = []
  var lines: [String] { lock.withLock { storage } }
  func append(_ line: String) { lock.withLock { storage.append(line) } }
}

final class LoggerTests: XCTestCase {
  func testRankZeroPrintsEverything() {
    let out = LineCollector()
    let log = Logger(rank: 0, sink: out.append)
    log.info("step 1")
    log.warning("slow")
    log.error("bad")
    XCTAssertEqual(out.lines, ["step 1", "warning: slow", "error: [rank 0] bad"])
  }

  func testOtherRanksPrintOnlyErrorsAndDoNotBuildMessages() {
    let out = LineCollector()
    let log = Logger(rank: 2, sink: out.append)
    var built = 0
    func message() -> String { built += 1; return "expensive" }
    log.info(message())
    log.warning(message())
    log.error("rank died")
    XCTAssertEqual(out.lines, ["error: [rank 2] rank died"])
    XCTAssertEqual(built, 0)
  }
}
