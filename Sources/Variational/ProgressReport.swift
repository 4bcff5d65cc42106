import Training

/// Averages step records over each logging interval into a progress line and a metrics record.
///
/// The per-batch −ELBO is a noisy Monte Carlo estimate; its mean over the `log_every` steps since
/// the last report is what the line and `metrics.jsonl` show.
struct ProgressReport {
  let logEvery: Int
  private var negativeELBO = 0.0
  private var annealedLoss = 0.0
  private var seconds = 0.0
  private var count = 0
  /// Steps of the interval that were not skipped (the ones whose losses are summed).
  private var finiteCount = 0

  init(logEvery: Int) {
    precondition(logEvery > 0, "log interval \(logEvery) must be > 0")
    self.logEvery = logEvery
  }

  /// Adds a step; returns the report when `record` ends an interval or the run.
  mutating func add(_ record: VariationalStepRecord, totalSteps: Int, batchSize: Int)
    -> (progress: ProgressLine, metrics: MetricsRecord)?
  {
    if !record.skipped {
      negativeELBO += record.negativeELBO
      annealedLoss += record.annealedLoss
      finiteCount += 1
    }
    seconds += record.seconds
    count += 1
    let done = record.step + 1
    guard done % logEvery == 0 || done == totalSteps else { return nil }
    defer { (negativeELBO, annealedLoss, seconds, count, finiteCount) = (0, 0, 0, 0, 0) }
    let secondsPerStep = seconds / Double(count)
    // NaN when every step of the interval was skipped; the metrics line then writes null.
    let loss = negativeELBO / Double(finiteCount)
    let progress = ProgressLine(step: done, totalSteps: totalSteps, loss: loss,
                                samplesPerSecond: Double(batchSize) / secondsPerStep,
                                secondsPerStep: secondsPerStep)
    // VI draws fresh samples every step, so there are no epochs; 0 keeps the key the trainers share.
    var metrics = MetricsRecord(step: done, epoch: 0)
    metrics.set("loss", loss)
    metrics.set("annealed_loss", annealedLoss / Double(finiteCount))
    metrics.set("beta", record.beta)
    metrics.set("lr", record.learningRate)
    metrics.set("grad_norm", record.gradientNorm)
    metrics.set("samples_per_second", progress.samplesPerSecond)
    return (progress, metrics)
  }
}
