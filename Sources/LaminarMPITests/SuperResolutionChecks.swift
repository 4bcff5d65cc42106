import Autodiff
import Collectives
import Configuration
import Datasets
import Flows
import Models
import TensorCore
import Training

/// Tiny HR/LR pairs in memory: 8×8 single-channel images of 16 levels (a random gradient with
/// noise, from a keyed stream) and their 2×2 block means as 4×4 conditions.
struct TinyImagePairs: ExampleSource {
  static let bins = 16
  /// [count, 1, 8, 8] levels
  let images: [Float]
  var count: Int { images.count / 64 }
  var exampleShape: Shape { [1, 8, 8] }
  var conditionShape: Shape? { [1, 4, 4] }

  init(count: Int) {
    let u: Tensor<Float> = RandomStream(seed: 12, stream: 7).uniform([count, 67])
    var images = [Float](repeating: 0, count: 64 * count)
    for n in 0..<count {
      let (a, b) = (u.scalars[67 * n] * 2 - 1, u.scalars[67 * n + 1] * 2 - 1)
      for i in 0..<8 {
        for j in 0..<8 {
          let v = 7.5 + 3 * (a * Float(i - 4) + b * Float(j - 4)) / 4 + 3 * (u.scalars[67 * n + 3 + 8 * i + j] - 0.5)
          images[64 * n + 8 * i + j] = min(15, max(0, v.rounded(.down)))
        }
      }
    }
    self.images = images
  }

  func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    for (k, n) in indices.enumerated() {
      for p in 0..<64 { out[64 * k + p] = images[64 * n + p] }
    }
  }

  func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    for (k, n) in indices.enumerated() {
      for i in 0..<4 {
        for j in 0..<4 {
          let block = [(0, 0), (0, 1), (1, 0), (1, 1)].map { images[64 * n + 8 * (2 * i + $0) + 2 * j + $1] }
          out[16 * k + 4 * i + j] = (block.reduce(0, +) / 4).rounded(.down)
        }
      }
    }
  }
}

/// A ×2 super-resolution flow (encoder, injectors, conditional priors, bicubic skip) trained on
/// `TinyImagePairs`, its encoder warm-started by L1 for the first 3 steps.
struct SuperResolutionRun {
  let store = ParameterStore<Float>()
  let trainer: Trainer<LikelihoodObjective>

  init(_ comm: any Communicator, steps: Int, directory: String? = nil, resume: ResumeRequest = .none) throws {
    let yaml = """
      family: srflow
      scale: 2
      levels: 2
      steps: 1
      width: 4
      encoder_width: 3
      encoder_depth: 1
      encoder_warm_start: 3
      skip: bicubic
      """
    let spec = try SuperResolutionSpec(config: Config(yaml: yaml, source: "MPI check").root)
    let model = spec.build(eventShape: [1, 8, 8], conditionLevels: TinyImagePairs.bins, parameters: store, seed: 2)
    let warmStart = spec.warmStart(channels: 1, parameters: store)
    let options = TrainerOptions(
      globalBatch: 12, steps: steps, seed: 4, initBatch: 24,
      schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 2, decay: .cosine, totalSteps: 8),
      clipNorm: 5, emaDecay: 0.9, logEvery: 4, checkpointEvery: 4)
    let objective = try LikelihoodObjective(
      trainable: TrainableFlow(model: model, parameters: store, warmStart: warmStart), training: TinyImagePairs(count: 48),
      preprocessing: Dequantization(bins: TinyImagePairs.bins, transform: .shift(-0.5)),
      options: options, communicator: comm)
    trainer = try Trainer(
      objective: objective, options: options,
      run: RunSetup(directory: directory, configText: yaml, configHash: 43, resume: resume),
      communicator: comm, logger: Logger(rank: comm.rank) { _ in })
  }

  var parameters: [Float] { Array(store.values) }
}

/// The data-parallel contract for a conditional image model whose encoder trains jointly.
func checkSuperResolution(_ h: MPITestHarness) {
  h.run("super-resolution: \(h.size) ranks × global batch 12 equals 1 rank × 12") { e in
    let distributed = try SuperResolutionRun(h.comm, steps: 6)
    _ = try distributed.trainer.train()
    let single = try SuperResolutionRun(LocalCommunicator(), steps: 6)
    _ = try single.trainer.train()
    let difference = TrainerRun.maxDifference(distributed.parameters, single.parameters)
    e.expect(difference < 1e-5, "parameters differ from the single-rank run by up to \(difference)")
    let initial = try SuperResolutionRun(LocalCommunicator(), steps: 0)
    try initial.trainer.prepare()
    let encoder = single.store.slices.filter { $0.name.hasPrefix("encoder") }
    let moved = encoder.contains { s in
      (0..<s.count).contains { single.parameters[s.offset + $0] != initial.parameters[s.offset + $0] }
    }
    e.expect(moved, "the encoder did not train")
  }
  // The resume at step 4 is after the warm start's 3 steps: Adam's moments of the head carry over.
  h.run("super-resolution: resume on \(h.size) ranks is bit-exact (8 steps = 4 + resume + 4)") { e in
    let (straight, split) = (try SharedDirectory(h.comm), try SharedDirectory(h.comm))
    let full = try SuperResolutionRun(h.comm, steps: 8, directory: straight.path)
    _ = try full.trainer.train()
    _ = try SuperResolutionRun(h.comm, steps: 4, directory: split.path).trainer.train()
    let resumed = try SuperResolutionRun(h.comm, steps: 8, directory: split.path, resume: .auto)
    _ = try resumed.trainer.train()
    e.expect(resumed.trainer.resumedFrom == split.file("ckpt-000004.safetensors"),
             "resumed from \(resumed.trainer.resumedFrom ?? "nothing")")
    e.expect(resumed.parameters.map(\.bitPattern) == full.parameters.map(\.bitPattern),
             "differs by up to \(TrainerRun.maxDifference(resumed.parameters, full.parameters))")
  }
}
