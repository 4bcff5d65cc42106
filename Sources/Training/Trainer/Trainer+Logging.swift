import Foundation

extension Trainer {
  /// The progress line on rank 0 and one `metrics.jsonl` record for the window just finished.
  /// - Parameters:
  ///   - validation: validation nats/dim, when evaluated at this step.
  ///   - roundTrip: max |x − f⁻¹(f(x))| (see `roundTripError`), nil for non-invertible models.
  func log(_ window: LogWindow, validation: Double?, roundTrip: Double?) throws {
    let s = state.step
    let d = Double(model.dimensions)
    let secondsPerStep = window.steps > 0 ? window.seconds / Double(window.steps) : .nan
    let samplesPerSecond = Double(options.globalBatch) / secondsPerStep
    var record = MetricsRecord(step: s, epoch: sampler.epoch(atCursor: state.cursor))
    if let loss = window.meanLoss {
      logger.info(ProgressLine(step: s, totalSteps: options.steps, loss: loss, bitsPerDim: loss / (d * M_LN2),
                               samplesPerSecond: samplesPerSecond, secondsPerStep: secondsPerStep).description
                  + String(format: "  nats/dim %.4f", loss / d)
                  + (validation.map { String(format: "  val nats/dim %.4f  val bits/dim %.4f", $0, $0 / M_LN2) } ?? "")
                  + (roundTrip.map { String(format: "  round trip %.2e", $0) } ?? ""))
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
    if let validation {
      record.set("val_nats_per_dim", validation)
      record.set("val_bits_per_dim", validation / M_LN2)
    }
    if let roundTrip { record.set("round_trip_error", roundTrip) }
    try append(record)
  }

  /// A record with only the validation NLL, for evaluations between progress lines.
  func logValidation(_ natsPerDimension: Double) throws {
    logger.info("step \(state.step)  validation nats/dim " + String(format: "%.4f", natsPerDimension)
                + "  bits/dim " + String(format: "%.4f", natsPerDimension / M_LN2))
    var record = MetricsRecord(step: state.step, epoch: sampler.epoch(atCursor: state.cursor))
    record.set("val_nats_per_dim", natsPerDimension)
    record.set("val_bits_per_dim", natsPerDimension / M_LN2)
    try append(record)
  }

  private func append(_ record: MetricsRecord) throws {
    guard let metrics else { return }
    try communicator.onRankZero { try metrics.append(record) }
  }
}
