import Autodiff
import Collectives
import Datasets
import Flows
import Foundation
import TensorCore
import Training
import XCTest

/// Rows of Float32 in memory; examples listed in `poisoned` read as NaN.
struct InMemorySource: ExampleSource {
  let rows: [Float]
  let exampleShape: Shape
  var poisoned: Set<Int> = []

  var count: Int { rows.count / exampleShape.count }

  func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    let d = exampleShape.count
    precondition(out.count >= indices.count * d, "output too small")
    for (k, i) in indices.enumerated() {
      for j in 0..<d { out[k * d + j] = poisoned.contains(i) ? .nan : rows[i * d + j] }
    }
  }

  /// The same rows moved by `offset` in every coordinate.
  func shifted(by offset: Float) -> InMemorySource {
    InMemorySource(rows: rows.map { $0 + offset }, exampleShape: exampleShape)
  }
}

/// A correlated 2-D Gaussian, x = A z + μ with z ~ N(0, I) drawn from a keyed stream.
enum ToyGaussian {
  static let mean: (Float, Float) = (1.5, -0.5)
  /// Lower-triangular A, so Σ = A Aᵀ and log det Σ = 2 Σ log A_ii.
  static let a: (Float, Float, Float) = (0.8, 0.6, 0.3)

  static func source(count: Int, seed: UInt64) -> InMemorySource {
    let z: Tensor<Float> = RandomStream(seed: seed, stream: 99).normal([count, 2])
    var rows = [Float](repeating: 0, count: 2 * count)
    for i in 0..<count {
      let z0 = z.scalars[2 * i], z1 = z.scalars[2 * i + 1]
      rows[2 * i] = a.0 * z0 + mean.0
      rows[2 * i + 1] = a.1 * z0 + a.2 * z1 + mean.1
    }
    return InMemorySource(rows: rows, exampleShape: [2])
  }

  /// The entropy ½ log det(2πe Σ): the lowest mean NLL any model can reach, in nats.
  static var entropy: Double {
    let logDet = 2 * (log(Double(a.0)) + log(Double(a.2)))
    return 0.5 * (2 * (1 + log(2 * Double.pi)) + logDet)
  }
}

/// ActNorm, then two affine couplings around a reversal, on a standard normal base.
func makeToyModel(_ store: ParameterStore<Float>, hidden: Int = 16) -> FlowModel {
  let flow = InvertibleFlowSequence([
    ActNorm("actnorm", channels: 2, parameters: store),
    VectorCoupling("coupling0", dimension: 2, parity: 0, hidden: [hidden], transform: .affineTanh, parameters: store),
    Permutation(.reverse, dimension: 2, seed: 0, index: 0),
    VectorCoupling("coupling1", dimension: 2, parity: 1, hidden: [hidden], transform: .affineTanh, parameters: store),
  ])
  return FlowModel(flow: flow, base: StandardNormal(), eventShape: [2])
}

/// The toy model given a one-hot class [K]: its couplings read the class and its base is a
/// Gaussian whose mean and scale an MLP computes from it.
func makeConditionalToyModel(_ store: ParameterStore<Float>, classes: Int, hidden: Int = 16) -> FlowModel {
  let flow = InvertibleFlowSequence([
    ActNorm("actnorm", channels: 2, parameters: store),
    VectorCoupling("coupling0", dimension: 2, parity: 0, hidden: [hidden], transform: .affineTanh,
                   conditionFeatures: classes, parameters: store),
    Permutation(.reverse, dimension: 2, seed: 0, index: 0),
    VectorCoupling("coupling1", dimension: 2, parity: 1, hidden: [hidden], transform: .affineTanh,
                   conditionFeatures: classes, parameters: store),
  ])
  let base = ConditionalDiagonalGaussian("base", conditionFeatures: classes, eventShape: [2], hidden: [hidden],
                                         parameters: store)
  return FlowModel(flow: flow, base: base, eventShape: [2], conditionShape: [classes])
}

/// Lines a `Logger` wrote, for asserting on messages.
final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String] = []

  var lines: [String] { lock.withLock { stored } }
  var text: String { lines.joined(separator: "\n") }

  var logger: Logger {
    Logger(rank: 0) { [self] line in lock.withLock { stored.append(line) } }
  }
}

/// A maximum-likelihood trainer of `model` on `training`.
func likelihoodTrainer(
  _ model: FlowModel, _ store: ParameterStore<Float>, training: any ExampleSource,
  validation: (any ExampleSource)? = nil, preprocessing: Dequantization? = nil, options: TrainerOptions,
  run: RunSetup, communicator: any Communicator = LocalCommunicator(), logger: Logger
) throws -> Trainer<LikelihoodObjective> {
  let objective = try LikelihoodObjective(
    trainable: TrainableFlow(model: model, parameters: store), training: training, validation: validation,
    preprocessing: preprocessing, options: options, communicator: communicator)
  return try Trainer(objective: objective, options: options, run: run, communicator: communicator, logger: logger)
}

/// A model, its store and a trainer on one process (`LocalCommunicator`).
struct LocalRun {
  let store = ParameterStore<Float>()
  let model: FlowModel
  let trainer: Trainer<LikelihoodObjective>
  let log = LogLines()

  init(options: TrainerOptions, directory: String?, resume: ResumeRequest = .none,
       source: InMemorySource = ToyGaussian.source(count: 256, seed: 1),
       validation: InMemorySource? = nil, configText: String = "model:\n  hidden: 16\n") throws {
    model = makeToyModel(store)
    trainer = try likelihoodTrainer(
      model, store, training: source, validation: validation, options: options,
      run: RunSetup(directory: directory, configText: configText, configHash: 1, resume: resume),
      logger: log.logger)
  }

  var parameters: [Float] { Array(store.values) }
}

/// The options most tests use: batch 16, Adam with warmup and cosine decay, clipping and EMA.
func toyOptions(steps: Int, totalSteps: Int? = nil, checkpointEvery: Int = 0, keep: Int = 3) -> TrainerOptions {
  TrainerOptions(
    globalBatch: 16, steps: steps, seed: 7,
    schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 1, decay: .cosine, totalSteps: totalSteps ?? steps),
    clipNorm: 5, emaDecay: 0.9, logEvery: 2, checkpointEvery: checkpointEvery, keepCheckpoints: keep)
}

/// [batch] log-likelihoods of `rows` ([batch, 2]) under the model's current parameters.
func logLikelihoods(_ model: FlowModel, _ store: ParameterStore<Float>, rows: [Float]) -> [Float] {
  let tape = Tape(parameters: store)
  let x = rows.withUnsafeBufferPointer { tape.input($0, shape: [rows.count / 2, 2]) }
  return model.logLikelihood(x).scalars
}

/// A fresh directory per test, removed afterwards.
final class ScratchDirectory {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-trainer-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  /// Checkpoint file names present, sorted.
  func checkpoints() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix("ckpt-") }.sorted()
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Asserts that `body` throws a `TrainerError` whose message contains every fragment.
func assertTrainerError(_ fragments: String..., file: StaticString = #filePath, line: UInt = #line,
                        _ body: () throws -> Void) {
  do {
    try body()
    XCTFail("expected a TrainerError containing \(fragments)", file: file, line: line)
  } catch let error as TrainerError {
    for fragment in fragments {
      XCTAssertTrue(error.description.contains(fragment), "'\(error)' lacks '\(fragment)'", file: file, line: line)
    }
  } catch {
    XCTFail("unexpected error \(error)", file: file, line: line)
  }
}
