import Autodiff
import Configuration
import Datasets

/// A checkpoint file whose header parses, whose checksum matches and whose metadata is complete.
///
/// Failing any of these makes a file unusable (truncated, corrupted, or not ours), which is
/// what `--resume auto` skips; whether a usable checkpoint fits this run is checked afterwards.
struct VerifiedCheckpoint {
  let file: SafetensorsFile
  let metadata: CheckpointMetadata

  init(path: String) throws {
    file = try SafetensorsFile(contentsOf: path)
    try file.verifyChecksum()
    metadata = try CheckpointMetadata(file.metadata, path: path)
  }

  var path: String { file.path }

  /// The newest checkpoint in `directory` that verifies, warning about each newer one skipped
  /// and why; nil when there is none at all. Throws when there are checkpoints but none verifies.
  static func newest(in directory: String, logger: Logger) throws -> VerifiedCheckpoint? {
    let candidates = try CheckpointDirectory(path: directory).list()
    guard !candidates.isEmpty else {
      logger.info("no checkpoint in \(directory) to resume; starting at step 0")
      return nil
    }
    var skipped: [String] = []
    for candidate in candidates {
      do {
        let checkpoint = try VerifiedCheckpoint(path: candidate.path)
        if !skipped.isEmpty {
          logger.warning("resuming from \(candidate.path), the newest checkpoint that verifies; skipped "
                         + "\(skipped.count) newer: " + skipped.joined(separator: "; "))
        }
        return checkpoint
      } catch {
        logger.warning("skipping checkpoint \(candidate.path): \(error)")
        skipped.append("\(candidate.path) (\(error))")
      }
    }
    throw TrainerError("none of the \(candidates.count) checkpoints in '\(directory)' can be resumed:\n  "
                       + skipped.joined(separator: "\n  ")
                       + "\nmove them away to start over, or pass --resume PATH with a checkpoint from elsewhere")
  }

  /// Throws naming the difference unless this checkpoint can continue the described run.
  func checkCompatible(
    run: RunSetup, options: TrainerOptions, exampleShape: [Int], parameters: ParameterStore<Float>
  ) throws {
    let m = metadata
    let differences = try ConfigComparison.differences(saved: m.configText, current: run.configText,
                                                       sections: run.matchingSections)
    guard differences.isEmpty else {
      throw TrainerError("\(path) was trained with a different model config:\n  "
                         + differences.joined(separator: "\n  ")
                         + "\nresume with the checkpoint's model settings, or start a new run in another directory")
    }
    guard m.exampleShape == exampleShape else {
      throw TrainerError("\(path) was trained on examples of shape \(m.exampleShape) but this run's data has "
                         + "shape \(exampleShape); use data of the same shape")
    }
    guard m.seed == options.seed else {
      throw TrainerError("\(path) was trained with seed \(m.seed) but this run uses \(options.seed); the data "
                         + "order would change mid-run: set trainer.seed=\(m.seed) (--set trainer.seed=\(m.seed))")
    }
    guard m.optimizer == options.optimizer.kind else {
      throw TrainerError("\(path) holds \(m.optimizer.rawValue) state but this run uses \(options.optimizer.kind.rawValue); "
                         + "set trainer.optimizer=\(m.optimizer.rawValue) or start a new run")
    }
    try CheckpointFile.checkLayout(file, matches: parameters)
  }
}
