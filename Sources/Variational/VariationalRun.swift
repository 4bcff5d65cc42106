import Collectives
import Configuration
import Foundation
import Graphics
import Models
import Support
import Training
import VariationalTargets

/// `laminar vi`: read the config, fit the flow with the `Trainer`, estimate log Z, write the run
/// directory.
///
/// Every rank runs all of it (the collectives inside need them); rank 0 alone prints and writes
/// checkpoints, `metrics.jsonl`, `vi-summary.json`, `vi.png` and `vi-loss.png` into `directory`.
public struct VariationalRun {
  public let spec: VariationalRunSpec
  public let directory: URL
  private let config: Config
  private let resume: ResumeRequest

  /// Loads and validates the config; `directory` nil means `runs/<config file stem>`.
  public init(configPath: String, overrides: [String], directory: String?, resume: ResumeRequest = .none) throws {
    config = try Config.load(path: configPath, overrides: overrides)
    spec = try VariationalRunSpec(config: config)
    let stem = URL(fileURLWithPath: configPath).deletingPathExtension().lastPathComponent
    self.directory = URL(fileURLWithPath: directory ?? "runs/\(stem)", isDirectory: true)
    self.resume = resume
  }

  public func run(communicator: any Communicator) throws -> VariationalSummary {
    let log = Logger(communicator: communicator)
    let results = Logger(communicator: communicator) { print($0) }
    log.info("laminar vi: \(spec.target.rawValue) with \(spec.flow.layers) \(spec.flow.family.rawValue) layers "
             + "on \(communicator.size) rank(s), batch \(spec.trainer.globalBatch); writing to \(directory.path)")
    let objective = ReverseKLObjective(spec: spec)
    let trainer = try Trainer(objective: objective, options: spec.trainer,
                              run: RunSetup(directory: directory.path, config: config, resume: resume),
                              communicator: communicator, logger: log)
    let started = Date()
    let training = try trainer.train()
    let seconds = Date().timeIntervalSince(started)
    let evaluator = VariationalEvaluator(objective: objective.kl, parameters: objective.parameters,
                                         noise: objective.noise)
    let (estimate, histogram) = try evaluator.estimate(
      samples: spec.evaluation.samples, histogramBox: spec.target.plotBox,
      bins: VariationalPlots.histogramBins, communicator: communicator)
    let summary = VariationalSummary(spec: spec, estimate: estimate,
                                     trueLogPartition: spec.target.referenceLogPartition,
                                     trainingSeconds: seconds, skippedSteps: training.skippedSteps,
                                     worldSize: communicator.size)
    for line in summary.lines { results.info(line) }
    // Files are written by one rank only (as the metrics are): every rank holds the same values.
    if communicator.rank == 0 {
      // Training finished: a file that cannot be written is a warning, not a failed run (issue 11).
      do {
        try writeOutputs(summary, training: training, evaluator: evaluator, histogram: histogram, log: log)
        try trainer.addFilesToTensorBoard(["vi.png", "vi-loss.png"])
        log.info("wrote vi-summary.json, vi.png, vi-loss.png, metrics.jsonl and TensorBoard events in \(directory.path)")
      } catch {
        log.warning("could not write the outputs in \(directory.path): \(error); training finished and its "
                    + "checkpoints are intact")
      }
    }
    return summary
  }

  private func writeOutputs(_ summary: VariationalSummary, training: TrainingSummary,
                            evaluator: VariationalEvaluator, histogram: SampleHistogram, log: Logger) throws {
    let summaryPath = directory.appendingPathComponent("vi-summary.json").path
    try AtomicFile.write(Array((summary.json.text + "\n").utf8), to: summaryPath)
    let n = VariationalPlots.gridResolution
    let density = evaluator.densityGrid(box: spec.target.plotBox, rows: n, columns: n)
    let nonFinite = (density ?? []).filter { !$0.isFinite }.count + training.stepLosses.filter { !$0.isFinite }.count
    if nonFinite > 0 {
      log.warning("\(nonFinite) NaN or infinite grid densities and step losses: gray cells in vi.png, "
                  + "skipped points in vi-loss.png; the flow may have diverged")
    }
    let panels = VariationalPlots.densityPanels(
      target: spec.target, logPartition: summary.trueLogPartition,
      flowDensity: density,
      histogram: histogram, samples: evaluator.samples(count: VariationalPlots.scatterCount))
    try PNG.write(panels, to: directory.appendingPathComponent("vi.png"))
    let title = "laminar vi: \(spec.target.rawValue), \(spec.flow.layers) \(spec.flow.family.rawValue) layers"
    let curve = VariationalPlots.lossCurve(losses: training.stepLosses, firstStep: training.firstStep,
                                           logPartition: summary.trueLogPartition, title: title)
    try PNG.write(curve, to: directory.appendingPathComponent("vi-loss.png"))
  }
}
