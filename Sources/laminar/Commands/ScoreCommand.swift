import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Runs
import Support

struct Score: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Per-example log-likelihoods under a trained flow, for density scoring and anomaly detection.",
    discussion: """
      Writes one log p(x) per row (nats, in the data's own units) to --out (.npy or .csv). With --labels
      (an .npy of 0 = normal, 1 = anomaly per row) it also prints the AUROC of the anomaly score −log p(x).
      """)

  @Option(help: "A checkpoint written by laminar train.")
  var checkpoint: String

  @Option(help: "An N×D .npy file to score.")
  var data: String

  @Option(help: "Optional N labels (.npy of integers: 0 normal, 1 anomaly).")
  var labels: String?

  @Option(help: "Where to write the scores: FILE.npy or FILE.csv.")
  var out: String

  @Option(help: "With --labels: a PNG of the score distributions of normal and anomalous rows.")
  var plot: String?

  @Flag(help: "Use the EMA copy of the parameters.")
  var averaged = false

  func validate() throws {
    if plot != nil && labels == nil { throw ValidationError("--plot needs --labels to tell the two groups apart") }
    guard out.hasSuffix(".npy") || out.hasSuffix(".csv") else {
      throw ValidationError("--out must end in .npy or .csv, got '\(out)'")
    }
  }

  func run() throws {
    try withWorld { world in
      let trained = try TrainedModel(checkpoint: checkpoint, averaged: averaged)
      let source = try trained.examples(fromFile: data)
      let correction = try trained.standardization()?.logAbsDet ?? 0
      let scores = try Likelihood.perExample(trained.trainable,
                                             source: source, communicator: world).map { $0 + correction }
      guard world.rank == 0 else { return }
      if out.hasSuffix(".npy") {
        try NpyWriter.write(scores, shape: [scores.count], to: out)
      } else {
        let text = "log_likelihood\n" + scores.map { String($0) }.joined(separator: "\n") + "\n"
        // AtomicFile names the path and the reason; String.write printed a raw NSCocoaErrorDomain dump.
        try AtomicFile.write(Array(text.utf8), to: out)
      }
      print("scored \(scores.count) examples → \(out)")
      let nonFinite = scores.filter { !$0.isFinite }.count
      if nonFinite > 0 {
        warn("\(nonFinite) of \(scores.count) log-likelihoods are NaN or infinite (written as nan/inf in \(out)); "
             + "the model may have diverged")
      }
      if let labels {
        let labelArray = try NpyArray(contentsOf: labels)
        guard labelArray.rowCount == scores.count else {
          throw ValidationError("\(labels) has \(labelArray.rowCount) labels but \(data) has \(scores.count) rows")
        }
        let y = try labelArray.integerRows(0..<scores.count)
        // The plot first: it shows NaN scores as a count, which the AUROC then rejects by row.
        if let plot {
          try ScoreDistributionPlot.write(scores: scores, anomalous: y.map { $0 == 1 }, to: plot,
                                          title: "log-likelihood of normal and anomalous rows")
          print("score distributions → \(plot)")
        }
        let auroc = try ROC.areaUnderCurve(scores: scores.map { -$0 }, labels: y)
        print("AUROC (anomaly score −log p) \(String(format: "%.4f", auroc))")
      }
    }
  }
}
