import ArgumentParser
import Collectives
import Autodiff
import Flows
import Foundation
import Runs
import Support
import TensorCore
import Training

/// `laminar bench train`: the training step of a config, timed end to end (forward, backward,
/// all-reduce, optimizer), without checkpoints or validation.
struct TrainBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Time training steps of a config: ms/step, peak RSS, samples/s and the all-reduce share of the step.",
    discussion: """
      Examples:
        laminar bench train --config configs/moons-realnvp.yaml --steps 500
        laminar bench train --config configs/moons-realnvp.yaml --threads 2 --peer-ms 10.56
        launch/run -np 2 .build/release/laminar bench train --config configs/moons-realnvp.yaml
      --peer-ms adds the ratio to a reference step time measured on the same machine (e.g. a PyTorch
      implementation of the same model); a ratio above 1 means Laminar is faster.
      """)

  @Option(help: "The run's YAML config.")
  var config: String

  @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (repeatable).", valueName: "key=value"))
  var overrides: [String] = []

  // The numbers parse their next word unconditionally, so `--steps -2` reaches validate().
  @Option(parsing: .unconditional, help: "Steps to time (the first is a warm-up and not counted).")
  var steps = 300

  @Option(parsing: .unconditional, help: "BLAS threads per rank (default: OPENBLAS_NUM_THREADS, else node cores ÷ node ranks).")
  var threads: Int?

  @Option(parsing: .unconditional, help: "A reference ms/step to compare against.")
  var peerMs: Double?

  func validate() throws {
    guard steps >= 2 else { throw ValidationError("--steps must be at least 2, got \(steps)") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    if let peerMs, !(peerMs > 0) { throw ValidationError("--peer-ms must be > 0, got \(peerMs)") }
  }

  func run() throws {
    try withWorld { world in
      if let threads { BLASThreads.set(threads) }
      let spec = try RunSpec(path: config, overrides: overrides + [
        "trainer.steps=\(steps)", "trainer.eval_every=0", "trainer.log_every=\(steps)",
      ])
      let (training, _) = try spec.data.makeSources()
      let trainable = try spec.buildModel(eventShape: training.exampleShape)
      let objective = try LikelihoodObjective(trainable: trainable, training: training,
                                              preprocessing: spec.data.dequantization,
                                              augmentation: spec.data.augmentation, options: spec.trainer,
                                              communicator: world)
      let trainer = try Trainer(objective: objective, options: spec.trainer,
                                run: RunSetup(directory: nil, config: spec.config),
                                communicator: world, logger: Logger(rank: world.rank, sink: { _ in }))
      let summary = try trainer.train()
      // The largest rank's high-water mark after training (before the FLOP count and sgemm below
      // allocate): what a node must hold per rank.
      let peakBytes = try world.allReduced(Double(ProcessMemory.peakResidentBytes() ?? 0), .max)
      let stepFLOPs = stepWork(trainable, spec: spec, world: world)
      let sgemm = sgemmRate()
      guard world.rank == 0, let median = summary.medianMillisecondsPerStep,
            let mean = summary.millisecondsPerStep else { return }
      let batch = Double(spec.trainer.globalBatch)
      let gradientBuckets = world.buckets.ranges(count: trainable.parameters.count, stride: MemoryLayout<Float>.stride)
        .reduce(0) { n, _ in n + 1 }
      var rows = [
        BenchmarkRow(name: "step, median", value: median, unit: "ms", ratio: peerMs.map { ratio($0 / median) } ?? ""),
        BenchmarkRow(name: "step, mean", value: mean, unit: "ms", ratio: ""),
        BenchmarkRow(name: "peak RSS (VmHWM, largest rank)", value: peakBytes / 1048576, unit: "MiB", ratio: ""),
        BenchmarkRow(name: "throughput (median step)", value: batch * 1000 / median, unit: "samples/s", ratio: ""),
        BenchmarkRow(name: "all-reduce share of the step", value: summary.allReduceShare ?? 0, unit: "",
                     ratio: "time in collective calls; buckets started during backward"),
        BenchmarkRow(name: "gradient buckets", value: Double(gradientBuckets), unit: "",
                     ratio: "\(trainable.parameters.count) parameters in \(world.buckets.bytes >> 20) MiB buckets"),
        BenchmarkRow(name: "GEMM + convolution work per rank and step", value: stepFLOPs / 1e6, unit: "MFLOP", ratio: ""),
        BenchmarkRow(name: "achieved rate per rank (median step)", value: stepFLOPs / median / 1e6, unit: "GFLOP/s",
                     ratio: String(format: "%.2f of sgemm 1024 (%.1f GFLOP/s)", stepFLOPs / median / 1e6 / sgemm, sgemm)),
      ]
      if let loss = summary.finalTrainNatsPerDimension {
        rows.append(BenchmarkRow(name: "final train loss", value: loss, unit: "nats/dim", ratio: ""))
      }
      let title = "laminar bench train \(spec.name): batch \(spec.trainer.globalBatch), \(steps) steps, "
        + "\(world.size) rank\(world.size == 1 ? "" : "s") × \(BLASThreads.count) BLAS thread\(BLASThreads.count == 1 ? "" : "s")"
      print(BenchmarkTable(title: title, rows: rows).text)
    }
  }

  /// FLOPs of one rank's training step: the nominal GEMM and convolution work of a forward pass
  /// over this rank's share of the batch (counted by the tape; q(u | x) included), times three for
  /// forward + backward.
  private func stepWork(_ trainable: TrainableFlow, spec: RunSpec, world: any Communicator) -> Double {
    let model = trainable.model
    let shard = BatchShard(rank: world.rank, worldSize: world.size, batchSize: spec.trainer.globalBatch).count
    let tape = Tape<Float>(parameters: trainable.parameters)
    let condition = model.conditionShape.map { tape.constant(0, shape: Shape([shard] + $0.dimensions)) }
    let x = tape.constant(0, shape: Shape([shard] + model.eventShape.dimensions))
    _ = model.logLikelihood(x, condition: condition)
    // Variational dequantization runs q(u | x) in every step too.
    if let dequantizer = trainable.dequantizer, let bins = spec.data.bins {
      _ = dequantizer.sample(noise: x, levels: x, bins: bins)
    }
    return 3 * tape.forwardFLOPs
  }

  private func ratio(_ r: Double) -> String { String(format: "%.2fx the peer's throughput", r) }
}
