/// Accumulates step times for the summary, leaving out the first step of a call, which pays for
/// first-touch allocations and is not representative.
struct StepTiming {
  private var steps = 0
  private var seconds = 0.0
  private var allReduceSeconds = 0.0
  /// Each measured step's wall time, for the median (capacity reserved up front).
  private var stepSeconds: [Double]

  init(expectedSteps: Int) {
    stepSeconds = []
    stepSeconds.reserveCapacity(Self.reservation(forSteps: expectedSteps))
  }

  /// The capacity to reserve up front for per-step values of a run of `steps` steps; beyond it the
  /// arrays grow by doubling. Capped (issue 11): Swift's array allocation computes capacity × stride
  /// without an overflow check, so `trainer.steps = 9223372036854775807` reserved a 24-byte block
  /// that the first append overran ("malloc(): invalid size (unsorted)", memcheck "Invalid write").
  static func reservation(forSteps steps: Int) -> Int { min(max(steps, 0), 1 << 20) }

  mutating func record(_ outcome: StepOutcome) {
    steps += 1
    guard steps > 1 else { return }
    seconds += outcome.seconds
    allReduceSeconds += outcome.allReduceSeconds
    stepSeconds.append(outcome.seconds)
  }

  func fill(_ summary: inout TrainingSummary, globalBatch: Int) {
    guard !stepSeconds.isEmpty, seconds > 0 else { return }
    let perStep = seconds / Double(stepSeconds.count)
    summary.millisecondsPerStep = perStep * 1000
    summary.samplesPerSecond = Double(globalBatch) / perStep
    summary.allReduceShare = allReduceSeconds / seconds
    let sorted = stepSeconds.sorted()
    let middle = sorted.count / 2
    let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    summary.medianMillisecondsPerStep = median * 1000
  }
}

/// The steps since the last progress line: their mean loss, terms and log-determinant statistics.
struct LogWindow {
  private(set) var steps = 0
  private(set) var appliedSteps = 0
  private var lossSum = 0.0
  /// Σ over applied steps of each term's per-example mean.
  private var termSums: [Double]
  /// Σ over applied steps of each layer's per-example mean log|det|.
  private var logAbsDetSums: [Double]
  private(set) var seconds = 0.0
  private(set) var lastGradientNorm: Double?
  private(set) var lastLearningRate: Double?
  private let globalBatch: Double

  init(terms: Int, layers: Int, globalBatch: Int) {
    termSums = [Double](repeating: 0, count: terms)
    logAbsDetSums = [Double](repeating: 0, count: layers)
    self.globalBatch = Double(globalBatch)
  }

  /// - Parameter statistics: the step's statistics, reduced over ranks.
  mutating func add(_ outcome: StepOutcome, statistics: StepStatistics) {
    steps += 1
    seconds += outcome.seconds
    guard outcome.applied else { return }
    appliedSteps += 1
    lossSum += outcome.loss
    for i in termSums.indices { termSums[i] += statistics.term(i) / globalBatch }
    for i in logAbsDetSums.indices { logAbsDetSums[i] += statistics.layerLogAbsDet(i) / globalBatch }
    lastGradientNorm = outcome.gradientNorm
    lastLearningRate = outcome.learningRate
  }

  /// Mean loss per example over the applied steps; nil when every step was skipped.
  var meanLoss: Double? { appliedSteps > 0 ? lossSum / Double(appliedSteps) : nil }

  /// [terms] each term's mean per example over the applied steps.
  var meanTerms: [Double]? { appliedSteps > 0 ? termSums.map { $0 / Double(appliedSteps) } : nil }

  /// [layers] mean logAbsDet per dimension over the applied steps.
  func meanLogAbsDetPerDimension(dimensions: Int) -> [Double]? {
    appliedSteps > 0 ? logAbsDetSums.map { $0 / (Double(appliedSteps) * Double(dimensions)) } : nil
  }
}
