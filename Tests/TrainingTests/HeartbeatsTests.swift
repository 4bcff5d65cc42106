import Foundation
import Support
import XCTest

/// Rank 0's heartbeat receiver, fed by a sender on this host as another rank would feed it.
final class HeartbeatsTests: XCTestCase {
  /// Polls `condition` every 50 ms for up to `seconds`.
  func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      if condition() { return true }
      usleep(50_000)
    }
    return condition()
  }

  func testNamesTheRankThatFellSilentAndTheOneThatFellBehind() throws {
    let receiver = try HeartbeatReceiver()
    defer { receiver.stop() }
    let addresses = Heartbeats.localAddresses()
    XCTAssertEqual(addresses.last.map { $0.hasPrefix("127.") }, true, "loopback comes last: \(addresses)")
    let one = try HeartbeatSender(rank: 1, addresses: addresses, port: receiver.port) { 12 }
    let two = try HeartbeatSender(rank: 2, addresses: addresses, port: receiver.port) { 11 }
    defer { two.stop() }
    XCTAssertTrue(eventually(5) { receiver.report(size: 3, progress: 12).description.contains("rank 1 alive") },
                  receiver.report(size: 3, progress: 12).description)
    let report = receiver.report(size: 3, progress: 12).description
    XCTAssertTrue(report.contains("rank 2 on \(hostName()): alive but still at step 11"), report)

    one.stop()
    XCTAssertTrue(eventually(Heartbeats.silence + 3) {
      receiver.report(size: 3, progress: 12).description.contains("rank 1 on \(hostName()): silent for")
    }, receiver.report(size: 3, progress: 12).description)
    // Same host: not a lost node, so the watchdog aborts at once.
    XCTAssertFalse(receiver.report(size: 3, progress: 12).silentOnOtherHosts)
  }

  func testSaysSoWhenNothingArrives() throws {
    let receiver = try HeartbeatReceiver()
    defer { receiver.stop() }
    let report = receiver.report(size: 2, progress: 3).description
    XCTAssertTrue(report.hasPrefix("no heartbeat arrived from any other rank"), report)
    XCTAssertTrue(report.contains("port \(receiver.port)"), report)
  }
}
