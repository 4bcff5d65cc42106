import Autodiff
import Collectives
import Configuration
import Datasets
import Foundation
import Support
import TensorCore

extension Trainer {
  /// Everything before step 0 (or before the first step after a resume), collectively:
  /// 1. the config hash is compared across ranks;
  /// 2. rank 0 creates the run directory;
  /// 3. either a checkpoint is read on rank 0 and broadcast, or rank 0 initializes the
  ///    parameters, broadcasts them, and the data-dependent (actnorm) init runs on the init batch;
  /// 4. the parameters are checked bit-identical on all ranks;
  /// 5. `metrics.jsonl` and the TensorBoard event files are cut back to the resumed step and
  ///    opened for appending.
  /// `train()` calls it; calling it first allows inspecting the resumed or initialized model.
  public func prepare() throws {
    guard !isPrepared else { return }
    try requireSameConfig()
    if let directory = run.directory {
      try communicator.onRankZero {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      }
    }
    if try !resume() {
      try startFresh()
    }
    try verifyParametersIdentical(after: resumedFrom == nil ? "initialization" : "resuming")
    if let decay = options.emaDecay, ema == nil {
      ema = ExponentialMovingAverage(copying: UnsafeBufferPointer(parameters.values), decay: decay)
    }
    try openMetrics()
    try openTensorBoard()
    isPrepared = true
  }

  /// Throws on every rank unless all ranks read the same config, naming each key that differs.
  private func requireSameConfig() throws {
    let hashes = try communicator.allGather(run.configHash)
    guard Set(hashes).count > 1 else { return }
    // Only gathered on a mismatch, so a normal start sends 8 bytes per rank, not whole configs.
    let texts = try communicator.allGather(bytes: Array(run.configText.utf8)).map { String(decoding: $0, as: UTF8.self) }
    var lines: [String] = []
    for rank in texts.indices where hashes[rank] != hashes[0] {
      let differences = (try? ConfigComparison.differences(saved: texts[0], current: texts[rank], sections: nil,
                                                           names: ("rank 0", "rank \(rank)"))) ?? []
      lines += differences.isEmpty ? ["rank \(rank)'s config hash differs from rank 0's"] : differences
    }
    throw TrainerError("ranks were started with different configs:\n  " + lines.joined(separator: "\n  ")
                       + "\nevery rank must read the same config file with the same --set overrides")
  }

  /// Rank 0 draws the initial parameters and broadcasts them; then the data-dependent init.
  private func startFresh() throws {
    if let directory = run.directory {
      try communicator.onRankZero {
        if let newest = try CheckpointDirectory(path: directory).list().first {
          throw TrainerError("the run directory '\(directory)' already holds checkpoints (newest: \(newest.path)); "
                             + "pass --resume auto to continue that run, or choose another output directory")
        }
      }
    }
    if communicator.rank == 0 { parameters.initialize(seed: options.seed) }
    try communicator.broadcast(parameters.values, root: 0)
    try initializeDataDependent()
  }

  /// The explicit collective data-dependent (actnorm) init before step 0, then a check that all
  /// ranks computed the same values.
  private func initializeDataDependent() throws {
    try objective.initializeDataDependent(context, on: tape, communicator: communicator)
    state.dataDependentInitDone = true
    try verifyParametersIdentical(after: "the data-dependent (actnorm) init")
  }

  /// Throws on every rank unless every rank holds bit-identical parameters.
  func verifyParametersIdentical(after stage: String) throws {
    try communicator.requireAgreement(
      on: FNV1a64.hash(UnsafeBufferPointer(parameters.values)), "the parameter checksum after \(stage)",
      fix: "ranks must build the same model from the same config (same laminar build on every node)")
  }

  /// Rank 0 drops `metrics.jsonl` lines beyond the current step (left by a run that went further
  /// than the checkpoint it is resumed from), then every rank opens its writer (a no-op off rank 0).
  private func openMetrics() throws {
    guard let directory = run.directory else { return }
    let path = directory + "/metrics.jsonl"
    let step = state.step
    var writer: MetricsWriter? = nil
    try communicator.onRankZero {
      try MetricsFile.truncate(path, afterStep: step)
      writer = try MetricsWriter(path: path, rank: 0)
    }
    // Off rank 0 the writer opens nothing and cannot fail.
    metrics = try writer ?? MetricsWriter(path: path, rank: communicator.rank)
  }
}
