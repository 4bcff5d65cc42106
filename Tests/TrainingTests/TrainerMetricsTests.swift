import Foundation
import Training
import XCTest

final class TrainerMetricsTests: XCTestCase {
  private func records(_ path: String) throws -> [[String: Any]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
      try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }
  }

  func testMetricsLinesParseAndCarryTheLoggedValues() throws {
    let directory = try ScratchDirectory()
    var options = toyOptions(steps: 6)
    options.validationEvery = 3
    let run = try LocalRun(options: options, directory: directory.path,
                           validation: ToyGaussian.source(count: 40, seed: 4))
    _ = try run.trainer.train()

    let lines = try records(directory.file("metrics.jsonl"))
    XCTAssertEqual(lines.map { $0["step"] as? Int }, [2, 3, 4, 6])
    for line in lines where line["step"] as? Int != 3 {
      let loss = try XCTUnwrap(line["loss"] as? Double)
      XCTAssertEqual(try XCTUnwrap(line["nats_per_dim"] as? Double), loss / 2, accuracy: 1e-12)
      XCTAssertNotNil(line["lr"] as? Double)
      XCTAssertNotNil(line["grad_norm"] as? Double)
      XCTAssertNotNil(line["samples_per_second"] as? Double)
      XCTAssertEqual(line["skipped_steps"] as? Int, 0)
      let perLayer = try XCTUnwrap(line["log_abs_det_per_dim"] as? [String: Double])
      XCTAssertEqual(perLayer.keys.sorted(), ["0.ActNorm", "1.VectorCoupling", "2.Permutation", "3.VectorCoupling"])
      XCTAssertEqual(perLayer["2.Permutation"], 0, "a permutation is volume-preserving")
    }
    XCTAssertNotNil(lines[1]["val_nats_per_dim"] as? Double)
    XCTAssertNotNil(lines[3]["val_nats_per_dim"] as? Double)
    XCTAssertNil(lines[0]["val_nats_per_dim"])
    XCTAssertTrue(run.log.lines.contains { $0.hasPrefix("step 6/6  loss ") && $0.contains("nats/dim") }, run.log.text)
  }

  func testResumingDropsMetricsLinesBeyondTheCheckpoint() throws {
    let directory = try ScratchDirectory()
    _ = try LocalRun(options: toyOptions(steps: 6, checkpointEvery: 4), directory: directory.path).trainer.train()
    // As if the run had died before its step-6 checkpoint landed: lines for steps 5 and 6 exist.
    try FileManager.default.removeItem(atPath: directory.file("ckpt-000006.safetensors"))
    let metrics = directory.file("metrics.jsonl")
    XCTAssertEqual(try records(metrics).map { $0["step"] as? Int }, [2, 4, 6])

    _ = try LocalRun(options: toyOptions(steps: 6, checkpointEvery: 4), directory: directory.path, resume: .auto)
      .trainer.train()
    XCTAssertEqual(try records(metrics).map { $0["step"] as? Int }, [2, 4, 6])
  }
}
