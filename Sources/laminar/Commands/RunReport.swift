import Collectives
import Datasets
import Evaluation
import Foundation
import Runs
import Training

/// What `laminar train` leaves behind after the last step: pictures and a short summary saying
/// where everything is and how to continue.
struct RunReport {
  let directory: String
  let spec: RunSpec
  let summary: TrainingSummary
  let trainer: Trainer<LikelihoodObjective>
  let world: any Communicator
  let logger: Logger

  func write(data: any ExampleSource) throws {
    let trainable = trainer.objective.trainable, model = trainable.model
    if model.eventShape == [2] {
      try DensityPlot.write(trainable, data: data, to: "\(directory)/density.png", seed: spec.trainer.seed,
                            communicator: world)
    }
    guard world.rank == 0 else { return }
    try TrainingCurve.write(metrics: "\(directory)/metrics.jsonl", to: "\(directory)/training.png",
                            title: spec.name)
    var pictures = ["\(directory)/training.png"]
    if model.eventShape == [2] { pictures.append("\(directory)/density.png") }
    if let dequantization = spec.data.dequantization, model.eventShape.rank == 3 {
      try SampleGrid.write(trainable, dequantization: dequantization, seed: spec.trainer.seed,
                           to: "\(directory)/samples.png")
      pictures.append("\(directory)/samples.png (temperatures "
                      + SampleGrid.temperatures.map { String(format: "%g", $0) }.joined(separator: ", ") + ")")
    }
    if let dequantization = spec.data.dequantization,
       try InterpolationStrip.write(trainable, source: data,
                                    dequantization: dequantization, seed: spec.trainer.seed,
                                    to: "\(directory)/interpolations.png") {
      pictures.append("\(directory)/interpolations.png (latent-space paths between training images)")
    }
    try trainer.addPicturesToTensorBoard(["training.png", "density.png", "samples.png", "interpolations.png"])
    var lines = ["trained \(spec.name): steps \(summary.firstStep)..<\(summary.finalStep), "
                 + "\(summary.skippedSteps) skipped"]
    if let train = summary.finalTrainNatsPerDimension { lines.append("train       \(format(train)) nats/dim") }
    if let last = summary.lastValidationNatsPerDimension, let best = summary.bestValidationNatsPerDimension {
      lines.append("validation  \(format(last)) nats/dim (best \(format(best)))"
                   + (spec.data.dequantization == nil ? "" : ", \(format(LikelihoodUnits.bits(nats: last))) bits/dim "
                      + "(best \(format(LikelihoodUnits.bits(nats: best))))"))
    }
    if let checkpoint = summary.lastCheckpoint {
      lines.append("checkpoint  \(checkpoint)")
      if summary.bestValidationNatsPerDimension != nil {
        lines.append("best        \(directory)/best.safetensors (lowest validation NLL; use it for eval and sampling)")
      }
      lines += [
        "resume      laminar train --config \(spec.source) --resume auto --out \(directory)",
        "evaluate    laminar eval --checkpoint \(checkpoint)",
        spec.data.dequantization == nil
          ? "sample      laminar sample --checkpoint \(checkpoint) --count 1000 --out \(directory)/samples.npy"
            + (model.conditionShape.map { " --condition " + (0..<$0.count).map { $0 == 0 ? "1" : "0" }.joined(separator: ",") } ?? "")
          : "sample      laminar sample --checkpoint \(checkpoint) --count 64 --temperature 0.7 --out \(directory)/samples-t0.7.png",
      ]
    }
    lines.append("pictures    " + pictures.joined(separator: ", "))
    logger.info(lines.joined(separator: "\n"))
  }

  private func format(_ v: Double) -> String { String(format: "%.4f", v) }
}
