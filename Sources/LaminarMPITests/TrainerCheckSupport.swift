import Autodiff
import Collectives
import Datasets
import Flows
import Foundation
import TensorCore
import Training

/// A correlated 2-D Gaussian held in memory, drawn from a keyed stream (identical on every rank);
/// `labelled` rows carry their class (i mod 2, one-hot), which shifts their mean.
struct GaussianRows: ExampleSource {
  let rows: [Float]
  let labelled: Bool
  var exampleShape: Shape { [2] }
  var conditionShape: Shape? { labelled ? [2] : nil }
  var count: Int { rows.count / 2 }

  init(count: Int, labelled: Bool = false) {
    let z: Tensor<Float> = RandomStream(seed: 11, stream: 5).normal([count, 2])
    var rows = [Float](repeating: 0, count: 2 * count)
    for i in 0..<count {
      let shift: Float = labelled && i % 2 == 1 ? 2 : 0
      rows[2 * i] = 0.8 * z.scalars[2 * i] + 1.5 + shift
      rows[2 * i + 1] = 0.6 * z.scalars[2 * i] + 0.3 * z.scalars[2 * i + 1] - 0.5
    }
    self.rows = rows
    self.labelled = labelled
  }

  func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    for (k, i) in indices.enumerated() {
      out[2 * k] = i % 2 == 0 ? 1 : 0
      out[2 * k + 1] = i % 2 == 1 ? 1 : 0
    }
  }

  func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    for (k, i) in indices.enumerated() {
      out[2 * k] = rows[2 * i]
      out[2 * k + 1] = rows[2 * i + 1]
    }
  }
}

/// One model, its parameters and a trainer on the given communicator; `conditional` models the
/// labelled rows given their class.
struct TrainerRun {
  let store = ParameterStore<Float>()
  let trainer: Trainer<LikelihoodObjective>

  /// Global batch 12 (divisible by 2 and 3); Adam with warmup and cosine decay over 8 steps,
  /// clipping and an EMA, so resume has every piece of state to restore.
  ///
  /// The actnorm init uses 24 examples. Initialized on exactly the first training batch, the
  /// batch would be standardized, and the actnorm and coupling-bias gradients of step 0 would be
  /// sums that cancel to rounding noise (~1e-8). Adam's first update is about lr · sign(g), so
  /// noise that differs with the summation order (1 rank vs W) would move those parameters by ±lr.
  init(_ comm: any Communicator, steps: Int, directory: String? = nil, resume: ResumeRequest = .none,
       checkpointEvery: Int = 0, conditional: Bool = false, stopRequest: StopRequest = .never,
       hidden: [Int] = [8]) throws {
    let c = conditional ? 2 : 0
    let flow = InvertibleFlowSequence([
      ActNorm("actnorm", channels: 2, parameters: store),
      VectorCoupling("coupling0", dimension: 2, parity: 0, hidden: hidden, transform: .affineTanh,
                     conditionFeatures: c, parameters: store),
      Permutation(.reverse, dimension: 2, seed: 0, index: 0),
      VectorCoupling("coupling1", dimension: 2, parity: 1, hidden: hidden, transform: .affineTanh,
                     conditionFeatures: c, parameters: store),
    ])
    let base: any BaseDistribution = conditional
      ? ConditionalDiagonalGaussian("base", conditionFeatures: 2, eventShape: [2], hidden: [8], parameters: store)
      : StandardNormal()
    let model = FlowModel(flow: flow, base: base, eventShape: [2], conditionShape: conditional ? [2] : nil)
    trainer = try Self.trainer(comm, model: model, store: store, training: GaussianRows(count: 96, labelled: conditional),
                               steps: steps, directory: directory, resume: resume, checkpointEvery: checkpointEvery,
                               stopRequest: stopRequest)
  }

  /// The same trainer for a model built by `build` on this run's store, trained on its source.
  init(_ comm: any Communicator, steps: Int, directory: String? = nil, resume: ResumeRequest = .none,
       building build: (ParameterStore<Float>) -> (FlowModel, any ExampleSource)) throws {
    let (model, training) = build(store)
    trainer = try Self.trainer(comm, model: model, store: store, training: training, steps: steps, directory: directory,
                               resume: resume, checkpointEvery: 0, stopRequest: .never)
  }

  private static func trainer(
    _ comm: any Communicator, model: FlowModel, store: ParameterStore<Float>, training: any ExampleSource, steps: Int,
    directory: String?, resume: ResumeRequest, checkpointEvery: Int, stopRequest: StopRequest
  ) throws -> Trainer<LikelihoodObjective> {
    let options = TrainerOptions(
      globalBatch: 12, steps: steps, seed: 4, initBatch: 24,
      schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 2, decay: .cosine, totalSteps: 8),
      clipNorm: 5, emaDecay: 0.9, logEvery: 4, checkpointEvery: checkpointEvery)
    let objective = try LikelihoodObjective(
      trainable: TrainableFlow(model: model, parameters: store), training: training, options: options, communicator: comm)
    return try Trainer(
      objective: objective, options: options,
      run: RunSetup(directory: directory, configText: "model:\n  hidden: 8\n", configHash: 42, resume: resume),
      communicator: comm, logger: Logger(rank: comm.rank) { _ in }, stopRequest: stopRequest)
  }

  var parameters: [Float] { Array(store.values) }

  /// Largest |a − b| over two parameter vectors of the same layout.
  static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }
}

/// A scratch directory created by rank 0, its path broadcast, removed by rank 0 on deinit.
final class SharedDirectory {
  let path: String
  private let owner: Bool

  init(_ comm: any Communicator) throws {
    var bytes: [UInt8] = []
    if comm.rank == 0 {
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-mpi-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      bytes = Array(path.utf8)
    }
    try comm.broadcast(bytes: &bytes, root: 0)
    path = String(decoding: bytes, as: UTF8.self)
    owner = comm.rank == 0
  }

  func file(_ name: String) -> String { path + "/" + name }

  deinit { if owner { try? FileManager.default.removeItem(atPath: path) } }
}
