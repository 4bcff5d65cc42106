import Foundation
import XCTest

/// Flow++ from the command line at a tiny size: configs/flowpp-digits.yaml trains with
/// variational dequantization, resumes, samples, and `eval --importance-samples` prints the
/// importance-weighted bound below the ELBO.
final class FlowPlusPlusRunTests: XCTestCase {
  private let tiny = [
    "--set", "trainer.batch_size=16", "--set", "model.width=8", "--set", "model.steps=1",
    "--set", "model.components=2", "--set", "data.dequantize.width=4", "--set", "data.dequantize.couplings=1",
    "--set", "trainer.checkpoint_every=2", "--set", "trainer.eval_every=2", "--set", "trainer.log_every=1",
    "--set", "trainer.warmup_steps=0",
  ]

  private func laminar(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let outcome = try LaminarProcess.run(arguments)
    XCTAssertEqual(outcome.status, 0, "laminar \(arguments.joined(separator: " ")):\n\(outcome.errors)",
                   file: file, line: line)
    return outcome.output + outcome.errors
  }

  func testTrainResumeSampleAndImportanceWeightedEval() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-fpp-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let train = ["train", "--config", "configs/flowpp-digits.yaml", "--out", directory] + tiny
    _ = try laminar(train + ["--set", "trainer.steps=2"])
    let resumed = try laminar(train + ["--set", "trainer.steps=4", "--resume", "auto"])
    XCTAssertTrue(resumed.contains("resuming from \(directory)/ckpt-000002.safetensors"), resumed)
    let checkpoint = directory + "/ckpt-000004.safetensors"
    let sampled = try laminar(["sample", "--checkpoint", checkpoint, "--count", "4", "--out", directory + "/s.png"])
    XCTAssertTrue(sampled.contains("s.png"), sampled)
    let evaluated = try laminar(["eval", "--checkpoint", checkpoint, "--importance-samples", "3"])
    func figure(_ label: String) -> Double? {
      evaluated.split(separator: "\n").first { $0.hasPrefix(label) }
        .flatMap { $0.dropFirst(label.count).split(separator: " ").first }.flatMap { Double($0) }
    }
    let elbo = try XCTUnwrap(figure("ELBO (S)"), evaluated), bound = try XCTUnwrap(figure("IW bound"), evaluated)
    XCTAssertTrue(evaluated.contains("variational dequantization ELBO"), evaluated)
    XCTAssertLessThan(bound, elbo, evaluated)
  }
}
