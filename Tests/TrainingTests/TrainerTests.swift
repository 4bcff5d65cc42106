import Autodiff
import Datasets
import Flows
import Foundation
@testable import Training
import XCTest

final class TrainerTests: XCTestCase {
  func testLossDecreasesTowardsTheEntropyOfAToyGaussian() throws {
    let validation = ToyGaussian.source(count: 512, seed: 2)
    var options = TrainerOptions(globalBatch: 64, steps: 300, seed: 3,
                                 schedule: LearningRateSchedule(peak: 1e-2), logEvery: 100)
    options.validationEvery = 300
    let run = try LocalRun(options: options, directory: nil, source: ToyGaussian.source(count: 1024, seed: 1),
                           validation: validation)
    try run.trainer.prepare()
    let before = try run.trainer.objective.evaluator.evaluate(validation).nats
    let summary = try run.trainer.train()
    let after = try XCTUnwrap(summary.lastValidationNatsPerDimension) * 2
    // The entropy is the best mean NLL any density reaches; a model that learned the
    // correlation gets within a few hundredths of it on held-out data.
    XCTAssertGreaterThan(before - after, 0.3, "validation NLL \(before) → \(after) nats")
    XCTAssertLessThan(after - ToyGaussian.entropy, 0.05, "validation NLL \(after), entropy \(ToyGaussian.entropy)")
    XCTAssertEqual(summary.finalStep, 300)
    XCTAssertEqual(summary.skippedSteps, 0)
    XCTAssertEqual(try XCTUnwrap(summary.finalTrainLoss), after, accuracy: 0.2)
  }

  func testResumeIsBitExact() throws {
    let straight = try ScratchDirectory(), split = try ScratchDirectory()
    let uninterrupted = try LocalRun(options: toyOptions(steps: 10, checkpointEvery: 5), directory: straight.path)
    _ = try uninterrupted.trainer.train()

    let firstHalf = try LocalRun(options: toyOptions(steps: 5, totalSteps: 10), directory: split.path)
    _ = try firstHalf.trainer.train()
    let secondHalf = try LocalRun(options: toyOptions(steps: 10, checkpointEvery: 5), directory: split.path,
                                  resume: .auto)
    let summary = try secondHalf.trainer.train()

    XCTAssertEqual(summary.firstStep, 5)
    XCTAssertEqual(summary.resumedFrom, split.file("ckpt-000005.safetensors"))
    XCTAssertEqual(secondHalf.parameters.map(\.bitPattern), uninterrupted.parameters.map(\.bitPattern))
    XCTAssertNotEqual(firstHalf.parameters, secondHalf.parameters, "the second half trained nothing")
    // Optimizer moments and EMA too: the final checkpoints hold the same tensors, byte for byte.
    let a = try SafetensorsFile(contentsOf: straight.file("ckpt-000010.safetensors"))
    let b = try SafetensorsFile(contentsOf: split.file("ckpt-000010.safetensors"))
    XCTAssertEqual(a.entries.map(\.name), b.entries.map(\.name))
    for entry in a.entries {
      XCTAssertEqual(Array(a.bytes(of: entry)), Array(b.bytes(of: try b.entry(entry.name))), entry.name)
    }
  }

  func testSaveThenLoadGivesBitIdenticalLikelihoodsAndActNormIsNotReinitialized() throws {
    let directory = try ScratchDirectory()
    let trained = try LocalRun(options: toyOptions(steps: 3), directory: directory.path)
    _ = try trained.trainer.train()
    let path = directory.file("ckpt-000003.safetensors")
    let rows = Array(ToyGaussian.source(count: 8, seed: 5).rows)

    let loaded = LocalStore()
    try Checkpoint(contentsOf: path).loadParameters(into: loaded.store)
    XCTAssertEqual(logLikelihoods(loaded.model, loaded.store, rows: rows).map(\.bitPattern),
                   logLikelihoods(trained.model, trained.store, rows: rows).map(\.bitPattern))

    // Resuming on data far from the original: a re-run of the actnorm init would move the shift.
    let shifted = ToyGaussian.source(count: 256, seed: 1).shifted(by: 10)
    let resumed = try LocalRun(options: toyOptions(steps: 6), directory: directory.path, resume: .path(path),
                               source: shifted)
    try resumed.trainer.prepare()
    XCTAssertTrue(resumed.trainer.dataDependentInitDone)
    XCTAssertEqual(resumed.parameters.map(\.bitPattern), trained.parameters.map(\.bitPattern))
    let fresh = try LocalRun(options: toyOptions(steps: 6), directory: nil, source: shifted)
    try fresh.trainer.prepare()
    let shift = try XCTUnwrap(fresh.store.slice(named: "actnorm.shift"))
    XCTAssertLessThan(fresh.store.values(of: shift)[0], -8, "a fresh init on the shifted data moves the shift")
  }

  func testCorruptedNewestCheckpointIsSkippedWithAMessage() throws {
    let directory = try ScratchDirectory()
    _ = try LocalRun(options: toyOptions(steps: 4, checkpointEvery: 2), directory: directory.path).trainer.train()
    let newest = directory.file("ckpt-000004.safetensors")
    var bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: newest)))
    bytes[bytes.count - 3] ^= 0x40
    try Data(bytes).write(to: URL(fileURLWithPath: newest))

    let resumed = try LocalRun(options: toyOptions(steps: 4, checkpointEvery: 2), directory: directory.path,
                               resume: .auto)
    try resumed.trainer.prepare()
    XCTAssertEqual(resumed.trainer.step, 2)
    XCTAssertEqual(resumed.trainer.resumedFrom, directory.file("ckpt-000002.safetensors"))
    let log = resumed.log.text
    XCTAssertTrue(log.contains("skipping checkpoint \(newest)") && log.contains("checksum mismatch"), log)
    XCTAssertTrue(log.contains("resuming from \(directory.file("ckpt-000002.safetensors"))"), log)

    // With every checkpoint unusable, --resume auto refuses rather than silently starting over.
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.file("ckpt-000002.safetensors")))
    assertTrainerError("none of the 2 checkpoints", "ckpt-000002.safetensors", "truncated") {
      try LocalRun(options: toyOptions(steps: 4), directory: directory.path, resume: .auto).trainer.prepare()
    }
  }

  func testKeepsTheLastKCheckpointsAndRefusesToOverwriteARun() throws {
    let directory = try ScratchDirectory()
    _ = try LocalRun(options: toyOptions(steps: 10, checkpointEvery: 2, keep: 2), directory: directory.path)
      .trainer.train()
    XCTAssertEqual(try directory.checkpoints(), ["ckpt-000008.safetensors", "ckpt-000010.safetensors"])
    for name in try directory.checkpoints() {
      XCTAssertNoThrow(try Checkpoint(contentsOf: directory.file(name)))
    }
    assertTrainerError("already holds checkpoints", "--resume auto") {
      try LocalRun(options: toyOptions(steps: 10), directory: directory.path).trainer.prepare()
    }
  }

  func testModelConfigMustMatchButTrainerKeysMayChange() throws {
    let directory = try ScratchDirectory()
    let config = "model:\n  hidden: 16\n  kind: realnvp\ntrainer:\n  steps: 2\n"
    _ = try LocalRun(options: toyOptions(steps: 2), directory: directory.path, configText: config).trainer.train()

    let moreSteps = config.replacingOccurrences(of: "steps: 2", with: "steps: 4")
    XCTAssertNoThrow(try LocalRun(options: toyOptions(steps: 4), directory: directory.path, resume: .auto,
                                  configText: moreSteps).trainer.prepare())
    let otherModel = config.replacingOccurrences(of: "kind: realnvp", with: "kind: glow")
    assertTrainerError("different model config", "model.kind: checkpoint has realnvp, this run has glow") {
      try LocalRun(options: toyOptions(steps: 4), directory: directory.path, resume: .auto,
                   configText: otherModel).trainer.prepare()
    }
  }
}

/// A model and store without a trainer, for loading checkpoints.
struct LocalStore {
  let store = ParameterStore<Float>()
  let model: FlowModel
  init() { model = makeToyModel(store) }
}
