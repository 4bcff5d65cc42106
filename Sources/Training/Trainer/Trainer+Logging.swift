import Foundation

extension Trainer {
  /// The progress line on rank 0 and one `metrics.jsonl` record for the window just finished.
  func log(_ window: LogWindow, validation: Double?) throws {
    let s = state.step
    let d = Double(model.dimensions)
    let secondsPerStep = window.steps > 0 ? window.seconds / Double(window.steps) : .nan
    let samplesPerSecond = Double(options.globalBatch) / secondsPerStep
    var record = MetricsRecord(step: s, epoch: sampler.epoch(atCursor: state.cursor))
    if let loss = window.meanLoss {
      logger.info(ProgressLine(step: s, totalSteps: options.steps, loss: loss, bitsPerDim: loss / (d * M_LN2),
                               samplesPerSecond: samplesPerSecond, secondsPerStep: secondsPerStep).description
                  + String(format: "  nats/dim %.4f", loss / d)
                  + (validation.map { String(format: "  val nats/dim %.4f", $0) } ?? ""))
      record.set("loss", loss)
      record.set("nats_per_dim", loss / d)
      record.set("bits_per_dim", loss / (d * M_LN2))
    } else {
      logger.warning("step \(s): every step since the last report was skipped")
    }
    if let lr = window.lastLearningRate { record.set("lr", lr) }
    if let norm = window.lastGradientNorm { record.set("grad_norm", norm) }
    record.set("samples_per_second", samplesPerSecond)
    record.set("ms_per_step", secondsPerStep * 1000)
    record.set("skipped_steps", state.skippedSteps)
    if let perLayer = window.meanLogAbsDetPerDimension {
      record.set("log_abs_det_per_dim", names: layerNames, values: perLayer)
    }
    if let validation { record.set("val_nats_per_dim", validation) }
    try append(record)
  }

  /// A record with only the validation NLL, for evaluations between progress lines.
  func logValidation(_ natsPerDimension: Double) throws {
    logger.info("step \(state.step)  validation nats/dim " + String(format: "%.4f", natsPerDimension))
    var record = MetricsRecord(step: state.step, epoch: sampler.epoch(atCursor: state.cursor))
    record.set("val_nats_per_dim", natsPerDimension)
    try append(record)
  }

  private func append(_ record: MetricsRecord) throws {
    guard let metrics else { return }
    try communicator.onRankZero { try metrics.append(record) }
  }
}
