import Autodiff
import Collectives
import TensorCore

/// Where a step is in the run and which part of its global batch this rank computes.
public struct StepContext: Sendable {
  /// The step being computed (0-based; also the learning-rate schedule position).
  public var step: Int
  /// Examples consumed before this step: its global batch starts at this data position.
  public var cursor: Int
  /// This rank's positions r, r + W, … of the global batch.
  public var shard: BatchShard
  /// The run's seed: every random draw is keyed by it, the step and the example index.
  public var seed: UInt64

  public var globalBatch: Int { shard.batchSize }
}

/// What the `Trainer` minimizes: a loss over a global batch of examples, computed by every rank
/// on its shard (DESIGN §3, "one trainer, several objectives").
///
/// The trainer owns everything the objectives share — parameter init and broadcast, config
/// agreement, the gradient all-reduce, the collective skip of non-finite steps, the optimizer,
/// checkpoints and resume, logging. An objective only says how one rank's shard turns into a
/// loss, which statistics it reports, and how it is validated:
/// - `LikelihoodObjective`: −log p(x) of data examples, or −log p(x | c) of (x, c) pairs;
/// - `ReverseKLObjective` (module Variational): E_q[log q + β·U] over base-noise draws.
public protocol TrainingObjective: AnyObject {
  /// The flat parameter buffer being trained.
  var parameters: ParameterStore<Float> { get }
  /// Shape of one example, stored in checkpoints and checked on resume.
  var exampleShape: Shape { get }
  /// D in "per dimension".
  var dimensions: Int { get }
  /// Whether the loss is a negative log-likelihood, reported also per dimension and in bits.
  var lossIsLikelihood: Bool { get }
  /// Keys of the per-layer log-determinant statistics, in `StepStatistics` order.
  var layerNames: [String] { get }
  /// Keys of the extra summed per-example terms the objective reports (e.g. "energy").
  var termNames: [String] { get }

  /// The epoch the data position `cursor` lies in (0 for objectives without a data set).
  func epoch(atCursor cursor: Int) -> Int
  /// The collective data-dependent init before step 0, after the parameters are broadcast.
  func initializeDataDependent(_ context: StepContext, on tape: Tape<Float>, communicator: any Communicator) throws
  /// Forward pass of this rank's shard: records the shard's sums in `statistics` and returns the
  /// scalar to back-propagate, this rank's part of the global-batch mean loss (its sum ÷ B), so
  /// that summing the ranks' gradients gives the gradient of the whole batch.
  func loss(_ context: StepContext, on tape: Tape<Float>, statistics: inout StepStatistics) throws -> Variable<Float>
  /// Extra values for the metrics line of a step (e.g. the annealing β).
  func metrics(atStep step: Int) -> [(key: String, value: Double)]
  /// max |x − f⁻¹(f(x))| over a few examples of the last batch, max-reduced over ranks
  /// (collective), or nil when the objective has no such check.
  func roundTripError(on tape: Tape<Float>, communicator: any Communicator) throws -> Double?
  /// The validation NLL per dimension (collective), or nil without validation data.
  func validate(communicator: any Communicator) throws -> Double?
}
