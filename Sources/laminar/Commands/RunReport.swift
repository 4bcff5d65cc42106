import Audio
import Collectives
import Datasets
import Evaluation
import Foundation
import Runs
import Spectral
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

  /// A picture that cannot be drawn is a warning: training finished and its checkpoint is written
  /// (issue 11), so the run still succeeds.
  func write(data: any ExampleSource) throws {
    let trainable = trainer.objective.trainable, model = trainable.model
    var pictures: [String] = []
    if model.eventShape == [2] {
      // Every rank computes the grid, so every rank draws; only rank 0 reports.
      draw("\(directory)/density.png", into: &pictures) {
        try DensityPlot.write(trainable, data: data, to: "\(directory)/density.png", seed: spec.trainer.seed,
                              communicator: world)
      }
    }
    guard world.rank == 0 else { return }
    draw("\(directory)/training.png", into: &pictures) {
      try TrainingCurve.write(metrics: "\(directory)/metrics.jsonl", to: "\(directory)/training.png", title: spec.name)
    }
    // A conditional image model (super-resolution) samples given an image: `laminar upscale` draws those.
    let unconditional = model.conditionShape == nil
    if let dequantization = spec.data.dequantization, model.eventShape.rank == 3, unconditional {
      let temperatures = SampleGrid.temperatures.map { String(format: "%g", $0) }.joined(separator: ", ")
      draw("\(directory)/samples.png", label: " (temperatures \(temperatures))", into: &pictures) {
        try SampleGrid.write(trainable, dequantization: dequantization, seed: spec.trainer.seed,
                             to: "\(directory)/samples.png")
      }
    }
    if let dequantization = spec.data.dequantization, unconditional {
      draw("\(directory)/interpolations.png", label: " (latent-space paths between training images)",
           into: &pictures) {
        try InterpolationStrip.write(trainable, source: data, dequantization: dequantization,
                                     seed: spec.trainer.seed, to: "\(directory)/interpolations.png")
      }
    }
    var audio: [String] = []
    if spec.model.isVocoder, let checkpoint = summary.lastCheckpoint {
      audio = writeAudio(checkpoint: checkpoint, data: data)
    }
    do {
      try trainer.addFilesToTensorBoard(["training.png", "density.png", "samples.png", "interpolations.png",
                                         "reference-0.wav", "generated-0.wav"])
    } catch {
      logger.warning("could not add the pictures and audio to the TensorBoard events: \(error)")
    }
    logger.info(summaryLines(pictures: pictures, audio: audio).joined(separator: "\n"))
  }

  /// A vocoder run's first training segment as it is (`reference-0.wav`) and as the final
  /// checkpoint generates it from its mel at the sampling σ (`generated-0.wav`), for listening and
  /// TensorBoard. A failure is a warning, as for the pictures.
  private func writeAudio(checkpoint: String, data: any ExampleSource) -> [String] {
    var files: [String] = []
    do {
      let vocoder = try Vocoder(TrainedModel(checkpoint: checkpoint))
      guard let melShape = data.conditionShape, data.count > 0 else { return [] }
      var reference = [Float](repeating: 0, count: data.exampleShape.count)
      var mel = [Float](repeating: 0, count: melShape.count)
      try [0].withUnsafeBufferPointer { first in
        try reference.withUnsafeMutableBufferPointer { try data.copyExamples(first, into: $0) }
        try mel.withUnsafeMutableBufferPointer { try data.copyConditions(first, into: $0) }
      }
      let generated = vocoder.generate(LogMelSpectrogram(bands: melShape[0], frames: melShape[1], values: mel),
                                       samplingSigma: vocoder.spec.samplingSigma, seed: spec.trainer.seed,
                                       chunkFrames: melShape[1], contextFrames: 0)
      for (name, audio) in [("reference-0.wav", reference), ("generated-0.wav", generated)] {
        _ = try AudioFile.writeWAV16(audio, sampleRate: MelFrontEnd.sampleRate, to: "\(directory)/\(name)")
        files.append("\(directory)/\(name)")
      }
    } catch {
      logger.warning("could not write the vocoder's audio: \(error); training finished and its checkpoints are intact")
    }
    return files
  }

  /// Runs `body`, which draws `path` and returns how many NaN/inf values it marked (nil: nothing to
  /// draw); lists the picture, warns about marked values, and turns a failure into a warning.
  private func draw(_ path: String, label: String = "", into pictures: inout [String], _ body: () throws -> Int?) {
    do {
      guard let nonFinite = try body() else { return }
      pictures.append(path + label)
      if nonFinite > 0 {
        logger.warning("\(path): \(nonFinite) NaN or infinite values, marked in the picture; the model may have diverged")
      }
    } catch {
      logger.warning("could not write \(path): \(error); training finished and its checkpoints are intact")
    }
  }

  private func summaryLines(pictures: [String], audio: [String]) -> [String] {
    let model = trainer.objective.trainable.model
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
        spec.model.isVocoder
          ? "vocode      laminar vocode --checkpoint \(checkpoint) --wav IN.wav --out \(directory)/vocoded.wav"
          : model.conditionShape != nil && spec.data.dequantization != nil
          ? "upscale     laminar upscale --checkpoint \(checkpoint) --input LR.png --temperature 0.8 --samples 4 --out \(directory)/upscaled"
          : spec.data.dequantization == nil
          ? "sample      laminar sample --checkpoint \(checkpoint) --count 1000 --out \(directory)/samples.npy"
            + (model.conditionShape.map { " --condition " + (0..<$0.count).map { $0 == 0 ? "1" : "0" }.joined(separator: ",") } ?? "")
          : "sample      laminar sample --checkpoint \(checkpoint) --count 64 --temperature 0.7 --out \(directory)/samples-t0.7.png",
      ]
    }
    lines.append("pictures    " + (pictures.isEmpty ? "none" : pictures.joined(separator: ", ")))
    if !audio.isEmpty { lines.append("audio       " + audio.joined(separator: ", ")) }
    return lines
  }

  private func format(_ v: Double) -> String { String(format: "%.4f", v) }
}
