import Foundation
import Training
import XCTest

final class MetricsTests: XCTestCase {
  var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try FileManager.default.removeItem(at: directory)
  }

  func sampleRecord(step: Int) -> MetricsRecord {
    var r = MetricsRecord(step: step, epoch: 2)
    r.set("loss", 1.25)
    r.set("bits_per_dim", 3.0e-5)
    r.set("lr", 1e-3)
    r.set("grad_norm", Double.nan)
    r.set("samples_per_second", Double.infinity)
    r.set("skipped_steps", 1)
    r.set("log_abs_det", names: ["actnorm.0", "coupling \"1\"\n"], values: [-0.5, 2])
    r.set("note", .string("tab\there"))
    return r
  }

  func testLinesParseBackWithJSONSerialization() throws {
    let path = directory.appendingPathComponent("metrics.jsonl").path
    let writer = try MetricsWriter(path: path, rank: 0)
    try writer.append(sampleRecord(step: 10))
    // Flushed per line: readable before the writer is closed.
    XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8).filter { $0 == "\n" }.count, 1)
    try writer.append(sampleRecord(step: 20))

    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 2)
    for (line, step) in zip(lines, [10, 20]) {
      let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      XCTAssertEqual(object["step"] as? Int, step)
      XCTAssertEqual(object["epoch"] as? Int, 2)
      XCTAssertEqual(object["loss"] as? Double, 1.25)
      XCTAssertEqual(object["bits_per_dim"] as? Double, 3.0e-5)
      XCTAssertEqual(object["lr"] as? Double, 1e-3)
      XCTAssertTrue(object["grad_norm"] is NSNull)
      XCTAssertTrue(object["samples_per_second"] is NSNull)
      XCTAssertEqual(object["skipped_steps"] as? Int, 1)
      XCTAssertEqual(object["note"] as? String, "tab\there")
      let perLayer = try XCTUnwrap(object["log_abs_det"] as? [String: Any])
      XCTAssertEqual(perLayer["actnorm.0"] as? Double, -0.5)
      XCTAssertEqual(perLayer["coupling \"1\"\n"] as? Double, 2)
    }
  }

  func testKeysKeepTheirOrderAndReplaceInPlace() {
    var r = MetricsRecord(step: 1, epoch: 0)
    r.set("loss", 2.0)
    r.set("lr", 0.5)
    r.set("loss", 1.0)
    XCTAssertEqual(r.jsonLine, #"{"step":1,"epoch":0,"loss":1.0,"lr":0.5}"#)
  }

  func testOtherRanksWriteNothing() throws {
    let path = directory.appendingPathComponent("rank1.jsonl").path
    let writer = try MetricsWriter(path: path, rank: 1)
    try writer.append(sampleRecord(step: 1))
    XCTAssertFalse(FileManager.default.fileExists(atPath: path))
  }

  func testUnwritablePathNamesTheFile() {
    let path = directory.appendingPathComponent("missing/metrics.jsonl").path
    XCTAssertThrowsError(try MetricsWriter(path: path, rank: 0)) { error in
      XCTAssertTrue("\(error)".hasPrefix("\(path): cannot open the metrics file: No such file"), "\(error)")
    }
  }
}

final class ProgressLineTests: XCTestCase {
  func testFormat() {
    let line = ProgressLine(step: 120, totalSteps: 5000, loss: 1.23456, bitsPerDim: 3.45678,
                            samplesPerSecond: 412.34, secondsPerStep: 0.1545)
    // 4880 steps × 0.1545 s = 753.96 s → 0:12:34.
    XCTAssertEqual(line.description,
                   "step 120/5000  loss 1.2346  bits/dim 3.4568  412.3 samples/s  ETA 0:12:34")
    let noBits = ProgressLine(step: 5000, totalSteps: 5000, loss: -2, samplesPerSecond: 10, secondsPerStep: 1)
    XCTAssertEqual(noBits.description, "step 5000/5000  loss -2.0000  10.0 samples/s  ETA 0:00:00")
  }

  func testClock() {
    XCTAssertEqual(ProgressLine.clock(seconds: 0), "0:00:00")
    XCTAssertEqual(ProgressLine.clock(seconds: 59.6), "0:01:00")
    XCTAssertEqual(ProgressLine.clock(seconds: 3661), "1:01:01")
    XCTAssertEqual(ProgressLine.clock(seconds: 100 * 3600 + 5), "100:00:05")
    XCTAssertEqual(ProgressLine.clock(seconds: .nan), "--:--:--")
    XCTAssertEqual(ProgressLine.clock(seconds: -1), "--:--:--")
  }
}
