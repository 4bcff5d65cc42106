import Evaluation
import Foundation

extension Trainer {
  /// The progress line on rank 0 and one `metrics.jsonl` record for the window just finished.
  /// - Parameters:
  ///   - validation: validation nats/dim, when evaluated at this step.
  ///   - roundTrip: max |x − f⁻¹(f(x))| (see `TrainingObjective.roundTripError`), when checked.
  func log(_ window: LogWindow, validation: Double?, roundTrip: Double?) throws {
    let s = state.step
    let d = Double(objective.dimensions), likelihood = objective.lossIsLikelihood
    let secondsPerStep = window.steps > 0 ? window.seconds / Double(window.steps) : .nan
    let samplesPerSecond = Double(options.globalBatch) / secondsPerStep
    var record = MetricsRecord(step: s, epoch: objective.epoch(atCursor: state.cursor))
    if let loss = window.meanLoss {
      let bits = likelihood ? LikelihoodUnits.bits(nats: loss / d) : nil
      logger.info(ProgressLine(step: s, totalSteps: options.steps, loss: loss, bitsPerDim: bits,
                               samplesPerSecond: samplesPerSecond, secondsPerStep: secondsPerStep).description
                  + (likelihood ? String(format: "  nats/dim %.4f", loss / d) : "")
                  + (validation.map { String(format: "  val nats/dim %.4f  val bits/dim %.4f", $0,
                                             LikelihoodUnits.bits(nats: $0)) } ?? "")
                  + (roundTrip.map { String(format: "  round trip %.2e", $0) } ?? "")
                  + objective.metrics(atStep: s - 1).map { "  \($0.key) " + String(format: "%.4g", $0.value) }.joined())
      record.set("loss", loss)
      if let bits {
        record.set("nats_per_dim", loss / d)
        record.set("bits_per_dim", bits)
      }
      for (name, mean) in zip(objective.termNames, window.meanTerms ?? []) { record.set(name, mean) }
    } else {
      logger.warning("step \(s): every step since the last report was skipped")
    }
    for (key, value) in objective.metrics(atStep: s - 1) { record.set(key, value) }
    if let lr = window.lastLearningRate { record.set("lr", lr) }
    if let norm = window.lastGradientNorm { record.set("grad_norm", norm) }
    record.set("samples_per_second", samplesPerSecond)
    record.set("ms_per_step", secondsPerStep * 1000)
    record.set("skipped_steps", state.skippedSteps)
    if let perLayer = window.meanLogAbsDetPerDimension(dimensions: objective.dimensions), !perLayer.isEmpty {
      record.set("log_abs_det_per_dim", names: objective.layerNames, values: perLayer)
    }
    if let validation {
      record.set("val_nats_per_dim", validation)
      record.set("val_bits_per_dim", LikelihoodUnits.bits(nats: validation))
    }
    if let roundTrip { record.set("round_trip_error", roundTrip) }
    try append(record)
  }

  /// A record with only the validation NLL, for evaluations between progress lines.
  func logValidation(_ natsPerDimension: Double) throws {
    let bits = LikelihoodUnits.bits(nats: natsPerDimension)
    logger.info("step \(state.step)  validation nats/dim " + String(format: "%.4f", natsPerDimension)
                + "  bits/dim " + String(format: "%.4f", bits))
    var record = MetricsRecord(step: state.step, epoch: objective.epoch(atCursor: state.cursor))
    record.set("val_nats_per_dim", natsPerDimension)
    record.set("val_bits_per_dim", bits)
    try append(record)
  }

  private func append(_ record: MetricsRecord) throws {
    guard let metrics else { return }
    try communicator.onRankZero {
      try metrics.append(record)
      try tensorBoard?.append(record)
    }
  }
}
