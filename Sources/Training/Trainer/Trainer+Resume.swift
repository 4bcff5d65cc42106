import Collectives

extension Trainer {
  /// Slots of the counters rank 0 broadcasts after reading a checkpoint.
  private enum Header: Int, CaseIterable {
    /// 0: nothing to resume, 1: resumed.
    case status, step, cursor, skippedSteps, skippedInARow, initDone, optimizerSteps
    /// −1 when the checkpoint has no EMA or this run keeps none.
    case emaUpdates
  }

  /// Reads the requested checkpoint on rank 0 and broadcasts parameters, optimizer state, EMA
  /// and counters, so every rank continues from the same state (DESIGN §5: only rank 0
  /// restoring them was a bug in Flow++ and Horovod). Returns false when there is nothing to resume.
  func resume() throws -> Bool {
    guard run.resume != .none else { return false }
    var header = [Int64](repeating: 0, count: Header.allCases.count)
    var m: [Float] = [], v: [Float] = [], shadow: [Float] = []
    var source: String?
    try communicator.onRankZero {
      guard let checkpoint = try selectCheckpoint() else { return }
      try checkpoint.checkCompatible(run: run, options: options, exampleShape: model.eventShape.dimensions,
                                     parameters: parameters)
      try CheckpointFile.restoreParameters(from: checkpoint.file, into: parameters)
      m = try CheckpointFile.flat(CheckpointFile.firstMomentPrefix, from: checkpoint.file, layout: parameters)
      v = try CheckpointFile.flat(CheckpointFile.secondMomentPrefix, from: checkpoint.file, layout: parameters)
      let keepsEMA = options.emaDecay != nil && checkpoint.metadata.emaUpdates != nil
      if keepsEMA { shadow = try CheckpointFile.flat(CheckpointFile.emaPrefix, from: checkpoint.file, layout: parameters) }
      header = Self.header(checkpoint.metadata, keepsEMA: keepsEMA)
      source = checkpoint.path
      describe(checkpoint)
    }
    try communicator.broadcast(&header, root: 0)
    guard header[Header.status.rawValue] == 1 else { return false }
    try restore(header: header, m: &m, v: &v, shadow: &shadow)
    var path = Array((source ?? "").utf8)
    try communicator.broadcast(bytes: &path, root: 0)
    resumedFrom = String(decoding: path, as: UTF8.self)
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

  private static func header(_ m: CheckpointMetadata, keepsEMA: Bool) -> [Int64] {
    var h = [Int64](repeating: 0, count: Header.allCases.count)
    h[Header.status.rawValue] = 1
    h[Header.step.rawValue] = Int64(m.training.step)
    h[Header.cursor.rawValue] = Int64(m.training.cursor)
    h[Header.skippedSteps.rawValue] = Int64(m.training.skippedSteps)
    h[Header.skippedInARow.rawValue] = Int64(m.training.skippedInARow)
    h[Header.initDone.rawValue] = m.training.dataDependentInitDone ? 1 : 0
    h[Header.optimizerSteps.rawValue] = Int64(m.optimizerSteps)
    h[Header.emaUpdates.rawValue] = keepsEMA ? Int64(m.emaUpdates ?? 0) : -1
    return h
  }

  /// Every rank: receive rank 0's buffers and install them with the counters.
  private func restore(header h: [Int64], m: inout [Float], v: inout [Float], shadow: inout [Float]) throws {
    let count = parameters.count
    if communicator.rank != 0 {
      m = [Float](repeating: 0, count: count)
      v = [Float](repeating: 0, count: count)
    }
    try communicator.broadcast(parameters.values, root: 0)
    try communicator.broadcast(&m, root: 0)
    try communicator.broadcast(&v, root: 0)
    try optimizer.restore(OptimizerState(kind: options.optimizer.kind,
                                         stepCount: Int(h[Header.optimizerSteps.rawValue]), m: m, v: v))
    if let decay = options.emaDecay {
      let averaged = ExponentialMovingAverage(copying: UnsafeBufferPointer(parameters.values), decay: decay)
      let updates = h[Header.emaUpdates.rawValue]
      if updates >= 0 {
        if communicator.rank != 0 { shadow = [Float](repeating: 0, count: count) }
        try communicator.broadcast(&shadow, root: 0)
        try averaged.restore(shadow: shadow, updateCount: Int(updates))
      }
      ema = averaged
    }
    state = TrainingState(
      step: Int(h[Header.step.rawValue]), cursor: Int(h[Header.cursor.rawValue]),
      skippedSteps: Int(h[Header.skippedSteps.rawValue]), skippedInARow: Int(h[Header.skippedInARow.rawValue]),
      dataDependentInitDone: h[Header.initDone.rawValue] == 1)
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
