import Collectives
import Foundation

/// What rank 0 read from a checkpoint besides the tensors, broadcast to every rank as one blob.
struct ResumedState: Codable {
  var training: TrainingState
  var optimizerSteps: Int
  /// EMA updates of the restored average; nil when the checkpoint has none or this run keeps none.
  var emaUpdates: Int?
  var source: String
}

extension Trainer {
  /// Reads the requested checkpoint on rank 0 and broadcasts parameters, optimizer state, EMA
  /// and counters, so every rank continues from the same state (DESIGN §5: only rank 0
  /// restoring them was a bug in Flow++ and Horovod). Returns false when there is nothing to resume.
  func resume() throws -> Bool {
    guard run.resume != .none else { return false }
    var blob: [UInt8] = []
    var m: [Float] = [], v: [Float] = [], shadow: [Float] = []
    try communicator.onRankZero {
      guard let checkpoint = try selectCheckpoint() else { return }
      try checkpoint.checkCompatible(run: run, options: options, exampleShape: objective.exampleShape.dimensions,
                                     parameters: parameters)
      try CheckpointFile.restoreParameters(from: checkpoint.file, into: parameters)
      m = try CheckpointFile.flat(CheckpointFile.firstMomentPrefix, from: checkpoint.file, layout: parameters)
      v = try CheckpointFile.flat(CheckpointFile.secondMomentPrefix, from: checkpoint.file, layout: parameters)
      let keepsEMA = options.emaDecay != nil && checkpoint.metadata.emaUpdates != nil
      if keepsEMA { shadow = try CheckpointFile.flat(CheckpointFile.emaPrefix, from: checkpoint.file, layout: parameters) }
      let resumed = ResumedState(training: checkpoint.metadata.training, optimizerSteps: checkpoint.metadata.optimizerSteps,
                                 emaUpdates: keepsEMA ? checkpoint.metadata.emaUpdates : nil, source: checkpoint.path)
      blob = Array(try JSONEncoder().encode(resumed))
      describe(checkpoint)
    }
    try communicator.broadcast(bytes: &blob, root: 0)
    guard !blob.isEmpty else { return false }
    let resumed = try JSONDecoder().decode(ResumedState.self, from: Data(blob))
    try restore(resumed, m: &m, v: &v, shadow: &shadow)
    resumedFrom = resumed.source
    return true
  }

  private func selectCheckpoint() throws -> VerifiedCheckpoint? {
    switch run.resume {
    case .none:
      return nil
    case .path(let path):
      do {
        return try VerifiedCheckpoint(path: path)
      } catch {
        throw TrainerError("cannot resume from \(error); give the path of a checkpoint written by laminar")
      }
    case .auto:
      guard let directory = run.directory else {
        throw TrainerError("--resume auto looks for checkpoints in the run directory, but none was given; "
                           + "pass the run's output directory, or --resume PATH")
      }
      return try VerifiedCheckpoint.newest(in: directory, logger: logger)
    }
  }

  /// Every rank: receive rank 0's buffers and install them with the counters.
  private func restore(_ resumed: ResumedState, m: inout [Float], v: inout [Float], shadow: inout [Float]) throws {
    let count = parameters.count
    if communicator.rank != 0 {
      m = [Float](repeating: 0, count: count)
      v = [Float](repeating: 0, count: count)
    }
    try communicator.broadcast(parameters.values, root: 0)
    try communicator.broadcast(&m, root: 0)
    try communicator.broadcast(&v, root: 0)
    try optimizer.restore(OptimizerState(kind: options.optimizer.kind, stepCount: resumed.optimizerSteps, m: m, v: v))
    if let decay = options.emaDecay {
      let averaged = ExponentialMovingAverage(copying: UnsafeBufferPointer(parameters.values), decay: decay)
      if let updates = resumed.emaUpdates {
        if communicator.rank != 0 { shadow = [Float](repeating: 0, count: count) }
        try communicator.broadcast(&shadow, root: 0)
        try averaged.restore(shadow: shadow, updateCount: updates)
      }
      ema = averaged
    }
    state = resumed.training
    // A streak in the checkpoint (written by an older laminar) would stop the run again at once;
    // the user resumes after fixing its cause, so the count in a row starts over. The total stays.
    if state.skippedInARow > 0 {
      logger.info("the checkpoint was saved after \(state.skippedInARow) skipped steps in a row; that count restarts at 0")
      state.skippedInARow = 0
    }
  }

  /// Rank 0's account of what is being resumed and what differs from the saved run.
  private func describe(_ checkpoint: VerifiedCheckpoint) {
    let m = checkpoint.metadata
    logger.info("resuming from \(checkpoint.path): step \(m.step), epoch \(m.epoch), saved by \(m.worldSize) "
                + "rank\(m.worldSize == 1 ? "" : "s") (now \(communicator.size))")
    if m.globalBatch != options.globalBatch {
      logger.warning("the checkpoint was trained with global batch \(m.globalBatch), this run uses "
                     + "\(options.globalBatch); the data continues from example \(m.training.cursor), but the run will "
                     + "not match an uninterrupted one")
    }
    if options.emaDecay != nil && m.emaUpdates == nil {
      logger.warning("the checkpoint has no EMA; the average starts afresh from the resumed parameters")
    }
    if let directory = run.directory, let newer = try? CheckpointDirectory(path: directory).list().filter({ $0.step > m.step }),
       !newer.isEmpty {
      logger.warning("\(directory) holds \(newer.count) checkpoint(s) newer than step \(m.step) (newest "
                     + "\(newer[0].path)); each is replaced when training reaches its step")
    }
  }
}
