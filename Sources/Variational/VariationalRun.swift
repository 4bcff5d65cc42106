import Collectives
import Configuration
import Foundation
import Graphics
import Training
import VariationalTargets

/// `laminar vi`: read the config, fit the flow, estimate log Z, write the run directory.
///
/// Every rank runs all of it (the collectives inside need them); rank 0 alone prints and writes
/// `metrics.jsonl`, `vi-summary.json`, `vi.png` and `vi-loss.png` into `directory`.
public struct VariationalRun {
  public let spec: VariationalRunSpec
  public let directory: URL
  private let config: Config

  /// Loads and validates the config; `directory` nil means `runs/<config file stem>`.
  public init(configPath: String, overrides: [String], directory: String?) throws {
    config = try Config.load(path: configPath, overrides: overrides)
    spec = try VariationalRunSpec(config: config)
    let stem = URL(fileURLWithPath: configPath).deletingPathExtension().lastPathComponent
    self.directory = URL(fileURLWithPath: directory ?? "runs/\(stem)", isDirectory: true)
  }

  public func run(communicator: any Communicator) throws -> VariationalSummary {
    let log = Logger(communicator: communicator)
    let results = Logger(communicator: communicator) { print($0) }
    try checkSameConfig(communicator)
    let metrics = try prepareDirectory(rank: communicator.rank)
    log.info("laminar vi: \(spec.target.rawValue) with \(spec.flow.layers) \(spec.flow.family.rawValue) layers "
             + "on \(communicator.size) rank(s), batch \(spec.trainer.batchSize); writing to \(directory.path)")
    let trainer = try VariationalTrainer(spec: spec, communicator: communicator, logger: log, metrics: metrics)
    let started = Date()
    let history = try trainer.train()
    let seconds = Date().timeIntervalSince(started)
    let evaluator = VariationalEvaluator(objective: trainer.objective, parameters: trainer.parameters,
                                         noise: trainer.noise)
    let (estimate, histogram) = try evaluator.estimate(
      samples: spec.evaluation.samples, histogramBox: spec.target.plotBox,
      bins: VariationalPlots.histogramBins, communicator: communicator)
    let summary = VariationalSummary(spec: spec, estimate: estimate,
                                     trueLogPartition: spec.target.referenceLogPartition,
                                     trainingSeconds: seconds, skippedSteps: trainer.skippedSteps,
                                     worldSize: communicator.size)
    for line in summary.lines { results.info(line) }
    // Files are written by one rank only (as the metrics are): every rank holds the same values.
    if communicator.rank == 0 {
      try writeOutputs(summary, history: history, evaluator: evaluator, histogram: histogram)
      log.info("wrote vi-summary.json, vi.png, vi-loss.png and metrics.jsonl in \(directory.path)")
    }
    return summary
  }

  /// Stops the job when the ranks resolved different configs (e.g. different files on two hosts).
  private func checkSameConfig(_ communicator: any Communicator) throws {
    let hashes = try communicator.allGather(config.canonicalHash)
    guard hashes.allSatisfy({ $0 == hashes[0] }) else {
      throw VariationalRunError("the ranks read different configs (hashes by rank: \(hashes)); give every "
                                + "rank the same file and --set options")
    }
  }

  /// Creates the directory and a fresh `metrics.jsonl` on rank 0 (a rerun replaces the old one).
  private func prepareDirectory(rank: Int) throws -> MetricsWriter {
    let metricsPath = directory.appendingPathComponent("metrics.jsonl").path
    if rank == 0 {
      do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: metricsPath) {
          try FileManager.default.removeItem(atPath: metricsPath)
        }
      } catch {
        throw VariationalRunError("cannot prepare the run directory '\(directory.path)': "
                                  + "\(error.localizedDescription); pick another with --out")
      }
    }
    return try MetricsWriter(path: metricsPath, rank: rank)
  }

  private func writeOutputs(_ summary: VariationalSummary, history: [VariationalStepRecord],
                            evaluator: VariationalEvaluator, histogram: SampleHistogram) throws {
    let summaryURL = directory.appendingPathComponent("vi-summary.json")
    do {
      try Data((summary.json.text + "\n").utf8).write(to: summaryURL, options: .atomic)
    } catch {
      throw VariationalRunError("cannot write '\(summaryURL.path)': \(error.localizedDescription)")
    }
    let n = VariationalPlots.gridResolution
    let panels = VariationalPlots.densityPanels(
      target: spec.target, logPartition: summary.trueLogPartition,
      flowDensity: evaluator.densityGrid(box: spec.target.plotBox, rows: n, columns: n),
      histogram: histogram, samples: evaluator.samples(count: VariationalPlots.scatterCount))
    try PNG.write(panels, to: directory.appendingPathComponent("vi.png"))
    let title = "laminar vi: \(spec.target.rawValue), \(spec.flow.layers) \(spec.flow.family.rawValue) layers"
    let curve = VariationalPlots.lossCurve(history: history, logPartition: summary.trueLogPartition, title: title)
    try PNG.write(curve, to: directory.appendingPathComponent("vi-loss.png"))
  }
}
