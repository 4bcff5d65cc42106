import ArgumentParser
import Collectives
import Datasets
import Evaluation
import Foundation
import Graphics
import Runs
import Training

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Negative log-likelihood of a data set under a trained flow, in nats and bits per dimension.",
    discussion: """
      Without --data, evaluates the validation set the run was configured with. Figures are in the
      data's own units: a standardization applied for training is accounted for by its log-determinant.
      Image data are dequantized with one fixed noise (keyed by the run's seed), so the figures are
      deterministic; their bits/dim include the dequantization constant and any logit log-det.
      """)

  @Option(help: "A checkpoint written by laminar train.")
  var checkpoint: String

  @Option(help: "Data to evaluate (default: the run's validation data): an N×D .npy file, or for image runs an (N, H, W, C) uint8 .npy file or a folder of PNG files; for super-resolution without --condition a folder of HR photos, degraded to their LR inputs (the likelihood takes one fixed crop of each).")
  var data: String?

  @Option(help: "Conditional models: the conditions of --data, one row per example (a .npy file; for super-resolution the LR images, .npy or a PNG folder).")
  var condition: String?

  @Flag(help: "Use the EMA copy of the parameters.")
  var averaged = false

  @Flag(help: "Image runs: also print the per-pixel histogram baseline (fitted on the run's training images).")
  var baseline = false

  @Option(help: "Image runs: also report the importance-weighted bound over S draws of the dequantization noise per example (shared out over ranks), beside the ELBO of the same draws.")
  var importanceSamples: Int?

  @Option(help: "Vocoder runs with a speech .npy --data: its int64 (N+1,) utterance offsets.")
  var offsets: String?

  @Option(help: "Vocoder runs: a directory for generated/reference WAV pairs and the mel PNGs.")
  var out: String?

  // The numbers parse their next word unconditionally, so `--sigma -1` reaches validate().
  @Option(parsing: .unconditional, help: "Vocoder runs: σ of the prior when generating (default: model.sampling_sigma).")
  var sigma: Double?

  @Option(parsing: .unconditional, help: "Vocoder runs: utterances that get WAV pairs and a row in the mel PNGs.")
  var examples = 3

  @Option(parsing: .unconditional, help: "Super-resolution runs: τ of the scored samples, beside τ = 0 (default 0.8).")
  var temperature: Double?

  @Option(parsing: .unconditional, help: "Super-resolution runs: samples per image at --temperature (default 4; diversity needs 2).")
  var samples: Int?

  @Option(help: "Super-resolution runs: how LR-PSNR degrades the prediction (default: the run's data.degradation, else bicubic).")
  var degradation: Degradation?

  @Flag(help: "Image runs: print the figures as one JSON object.")
  var json = false

  func validate() throws {
    if let s = importanceSamples, s < 1 || s > 100_000 {
      throw ValidationError("--importance-samples \(s) must be in 1...100000 (e.g. 32)")
    }
    if let sigma, !(sigma > 0 && sigma.isFinite) { throw ValidationError("--sigma must be > 0, got \(sigma)") }
    guard examples >= 0 else { throw ValidationError("--examples must be >= 0, got \(examples)") }
    if let temperature, !(temperature >= 0 && temperature.isFinite) {
      throw ValidationError("--temperature must be a finite number ≥ 0, got \(temperature)")
    }
    if let samples, samples < 1 { throw ValidationError("--samples must be ≥ 1, got \(samples)") }
  }

  func run() throws {
    try withWorld { world in
      let trained = try TrainedModel(checkpoint: checkpoint, averaged: averaged)
      let superResolution: Bool
      if case .superResolution = trained.spec.model { superResolution = true } else { superResolution = false }
      if !superResolution && (temperature != nil || samples != nil || degradation != nil) {
        throw ValidationError("--temperature, --samples and --degradation score super-resolution; \(checkpoint) "
                              + "holds no srflow model")
      }
      if json && trained.spec.data.dequantization == nil {
        throw ValidationError("--json is for image runs; \(checkpoint) is not one")
      }
      if case .audio = trained.spec.model {
        try evaluateVocoder(trained, world: world)
      } else if let dequantization = trained.spec.data.dequantization {
        try evaluateImages(trained, dequantization: dequantization, world: world)
      } else {
        try evaluateContinuous(trained, world: world)
      }
    }
  }

  private func evaluateContinuous(_ trained: TrainedModel, world: any Communicator) throws {
    var source: any ExampleSource = try data.map { try trained.examples(fromFile: $0) } ?? validation(of: trained)
    if let condition {
      guard let data else { throw ValidationError("--condition gives the conditions of --data; pass --data too") }
      source = try ConditionedExamples(examples: source, conditions: NpyExampleSource(path: condition, standardize: .raw),
                                       names: (data, condition))
    }
    let result = try DatasetEvaluator(trainable: trained.trainable, communicator: world,
                                      batch: trained.spec.trainer.validationBatch).evaluate(source)
    // The model saw standardized rows; the figures are for the rows as stored in the file.
    let nll = result.nats - (try trained.standardization()?.logAbsDet ?? 0)
    let d = trained.model.dimensions
    try requireFinite(result)
    guard world.rank == 0 else { return }
    print("examples     \(result.examples)")
    print("NLL          \(String(format: "%.5f", nll)) nats")
    print("nats/dim     \(String(format: "%.5f", LikelihoodUnits.natsPerDimension(nll: nll, dimensions: d)))")
    print("bits/dim     \(String(format: "%.5f", LikelihoodUnits.bits(nats: nll / Double(d))))")
  }

  private func evaluateImages(_ trained: TrainedModel, dequantization: Dequantization,
                              world: any Communicator) throws {
    let spec = trained.spec
    if condition != nil && data == nil {
      throw ValidationError("--condition gives the conditions of --data; pass --data too")
    }
    // A super-resolution model's conditions are images too: the LR image of each HR image.
    let source = try data.map { try imageSource(at: $0, trained) } ?? validation(of: trained)
    let evaluator = DatasetEvaluator(trainable: trained.trainable, communicator: world,
                                     batch: spec.trainer.validationBatch, preprocessing: dequantization,
                                     seed: spec.trainer.seed)
    let result = try evaluator.evaluate(source)
    try requireFinite(result)
    let weighted = try importanceSamples.map { draws in
      try ImportanceWeightedEvaluator(trainable: trained.trainable, communicator: world,
                                      batch: spec.trainer.validationBatch, preprocessing: dequantization,
                                      seed: spec.trainer.seed).evaluate(source, draws: draws)
    }
    var superResolution: SuperResolutionReport?
    if case .superResolution = spec.model {
      superResolution = try evaluateSuperResolution(
        Upscaler(trained, tile: Upscaler.defaultTile, margin: Upscaler.defaultMargin), world: world)
    }
    guard world.rank == 0 else { return }
    let histogramBits = try baseline ? PixelHistogram(fittedTo: spec.data.makeSources().training, bins: dequantization.bins)
      .bitsPerDimension(on: source) : nil
    if json {
      let figures = ImageEvaluationJSON(examples: result.examples, nats: result.nats, natsPerDim: result.natsPerDimension,
                                        bitsPerDim: result.bitsPerDimension, baselineBitsPerDim: histogramBits,
                                        iwBoundBitsPerDim: weighted?.boundBitsPerDimension,
                                        superResolution: superResolution)
      let encoder = JSONEncoder()
      encoder.keyEncodingStrategy = .convertToSnakeCase
      encoder.outputFormatting = [.sortedKeys]
      print(String(decoding: try encoder.encode(figures), as: UTF8.self))
      return
    }
    print("examples     \(result.examples)")
    print("NLL          \(String(format: "%.5f", result.nats)) nats (of the discrete images, "
          + "dequantization noise fixed by seed \(spec.trainer.seed))")
    print("nats/dim     \(String(format: "%.5f", result.natsPerDimension))")
    print("bits/dim     \(String(format: "%.5f", result.bitsPerDimension))"
          + (trained.trainable.dequantizer != nil ? " (variational dequantization ELBO)" : " (uniform dequantization bound)"))
    if let histogramBits {
      print("baseline     \(String(format: "%.5f", histogramBits)) bits/dim "
            + "(per-pixel histogram, add-one smoothing, fitted on the run's training images)")
    }
    if let weighted {
      print("IW bound     \(String(format: "%.5f", weighted.boundBitsPerDimension)) bits/dim "
            + "(importance-weighted, S = \(weighted.draws) draws per example)")
      print("ELBO (S)     \(String(format: "%.5f", weighted.elboBitsPerDimension)) bits/dim "
            + "(mean over the same \(weighted.draws) draws)"
            + (weighted.nonFinite > 0 ? "; \(weighted.nonFinite) non-finite log weights" : ""))
    }
    superResolution?.printTable()
  }

  /// A NaN mean would print as "bits/dim -nan" and exit 0 (issue 11); every rank holds the same
  /// reduced count, so every rank throws.
  private func requireFinite(_ result: LikelihoodScore) throws {
    guard result.nonFinite > 0 || !result.nats.isFinite else { return }
    throw ValidationError("\(checkpoint): the model produced non-finite log-likelihoods for \(result.nonFinite) of "
                          + "\(result.examples) examples; its parameters may have diverged: evaluate an earlier "
                          + "checkpoint (or best.safetensors) of the run")
  }

  /// --data (with --condition's conditions); for a super-resolution model a folder of photos
  /// alone gives one fixed crop per photo (data.crop, else the model's HR side) paired with the
  /// LR image its degradation makes.
  private func imageSource(at path: String, _ trained: TrainedModel) throws -> any ExampleSource {
    let data = trained.spec.data
    var isDirectory: ObjCBool = false
    if condition == nil, case .superResolution(let sr) = trained.spec.model,
       FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      return try PhotoCropSource(directory: path, crop: data.photoCrops?.crop ?? trained.model.eventShape[1], scale: sr.scale,
                                 degradation: lowResolutionDegradation(trained), bins: data.bins!)
    }
    return try data.imageSource(at: path, conditions: condition)
  }

  /// How LR images are made from HR ones: --degradation, else the run's data.degradation, else bicubic.
  func lowResolutionDegradation(_ trained: TrainedModel) -> Degradation {
    degradation ?? trained.spec.data.photoCrops?.degradation ?? .bicubic
  }

  private func validation(of trained: TrainedModel) throws -> any ExampleSource {
    guard let validation = try trained.spec.data.makeSources().validation else {
      throw ValidationError("the run has no validation data; pass --data FILE")
    }
    return validation
  }
}

/// `laminar eval --json` of an image run.
private struct ImageEvaluationJSON: Encodable {
  let examples: Int
  let nats, natsPerDim, bitsPerDim: Double
  let baselineBitsPerDim, iwBoundBitsPerDim: Double?
  let superResolution: SuperResolutionReport?
}
