import Foundation
import Collectives
import Datasets

extension Trainer {
  /// Writes `ckpt-<step>.safetensors` on rank 0 (atomically, with a checksum) and deletes all but
  /// the newest `keepCheckpoints`. The parameters are first checked bit-identical on all ranks,
  /// so a checkpoint never captures one rank's diverged copy.
  ///
  /// Nothing is written while steps are being skipped: the weights that led into a non-finite
  /// streak are suspect, and saving would also prune the checkpoints from before it, the ones the
  /// stop message calls good (issue 11).
  func writeCheckpoint() throws {
    guard let directory = run.directory else { return }
    guard state.skippedInARow == 0 else {
      logger.warning("step \(state.step): not saving a checkpoint while steps are skipped (\(state.skippedInARow) "
                     + "in a row); the newest good one stays \(lastCheckpoint ?? resumedFrom ?? "none")")
      return
    }
    try verifyParametersIdentical(after: "step \(state.step)")
    let folder = CheckpointDirectory(path: directory)
    let path = folder.file(step: state.step)
    try communicator.onRankZero {
      try CheckpointFile.write(to: path, parameters: parameters, optimizer: optimizer.state, ema: ema?.shadow,
                               metadata: checkpointMetadata())
      try folder.prune(keep: options.keepCheckpoints, atOrBelow: state.step)
    }
    lastCheckpoint = path
    lastCheckpointStep = state.step
    logger.info("saved \(path)")
  }

  /// Early stopping without stopping: rank 0 keeps `best.safetensors`, the state at the lowest
  /// validation NLL seen by this run directory (also across resumes, read from the file itself).
  func writeBestCheckpoint(ifValidationImprovedTo nll: Double) throws {
    guard let directory = run.directory else { return }
    let path = CheckpointDirectory(path: directory).bestFile
    try communicator.onRankZero {
      let previous = FileManager.default.fileExists(atPath: path)
        ? (try? Checkpoint(contentsOf: path))?.validationNatsPerDimension : nil
      guard nll < previous ?? .infinity else { return }
      var metadata = checkpointMetadata()
      metadata.validationNatsPerDimension = nll
      try CheckpointFile.write(to: path, parameters: parameters, optimizer: optimizer.state, ema: ema?.shadow,
                               metadata: metadata)
    }
  }

  func checkpointMetadata() -> CheckpointMetadata {
    CheckpointMetadata(
      training: state, epoch: objective.epoch(atCursor: state.cursor),
      seed: options.seed, globalBatch: options.globalBatch, worldSize: communicator.size,
      configText: run.configText, exampleShape: objective.exampleShape.dimensions,
      optimizer: options.optimizer.kind, optimizerSteps: optimizer.state.stepCount, emaUpdates: ema?.updateCount)
  }
}
