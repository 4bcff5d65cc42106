import Foundation
import XCTest

/// The conditional path from the command line: a class-conditional RealNVP on labelled moons
/// trains, resumes, samples given a class, and evaluates on its conditional validation data.
final class ConditionalRunTests: XCTestCase {
  private let small = [
    "--set", "trainer.batch_size=32", "--set", "data.train_count=512", "--set", "data.validation_count=64",
    "--set", "model.layers=2", "--set", "model.hidden=[8]", "--set", "trainer.checkpoint_every=3",
    "--set", "trainer.eval_every=3", "--set", "trainer.log_every=3",
  ]

  private func laminar(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let outcome = try LaminarProcess.run(arguments)
    XCTAssertEqual(outcome.status, 0, "laminar \(arguments.joined(separator: " ")):\n\(outcome.errors)",
                   file: file, line: line)
    return outcome.output + outcome.errors
  }

  func testTrainResumeSampleEval() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-cond-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let train = ["train", "--config", "configs/moons-conditional.yaml", "--out", directory] + small
    _ = try laminar(train + ["--set", "trainer.steps=3"])
    let resumed = try laminar(train + ["--set", "trainer.steps=6", "--resume", "auto"])
    XCTAssertTrue(resumed.contains("resuming from \(directory)/ckpt-000003.safetensors"), resumed)
    XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/density.png"))

    let checkpoint = directory + "/ckpt-000006.safetensors"
    for (condition, out) in [("1,0", "moon0.npy"), ("0,1", "moon1.npy")] {
      let sampled = try laminar(["sample", "--checkpoint", checkpoint, "--condition", condition, "--count", "50",
                                 "--out", directory + "/" + out])
      XCTAssertTrue(sampled.contains("wrote 50 samples"), sampled)
    }
    let missing = try LaminarProcess.run(["sample", "--checkpoint", checkpoint, "--count", "5", "--out",
                                          directory + "/x.npy"])
    XCTAssertNotEqual(missing.status, 0)
    XCTAssertTrue(missing.errors.contains("this model is conditional: pass --condition"), missing.errors)
    let wrongWidth = try LaminarProcess.run(["sample", "--checkpoint", checkpoint, "--condition", "1,0,0",
                                             "--count", "5", "--out", directory + "/x.npy"])
    XCTAssertTrue(wrongWidth.errors.contains("expected 2 comma-separated numbers"), wrongWidth.errors)

    let evaluated = try laminar(["eval", "--checkpoint", checkpoint])
    XCTAssertTrue(evaluated.contains("examples     64"), evaluated)
    XCTAssertTrue(evaluated.contains("nats/dim"), evaluated)
  }
}
