import Autodiff
import Collectives
import Datasets
import Flows
import Foundation
import TensorCore
@testable import Training

/// Rank `rank` of a pretend group of `size` whose collectives see only this rank (reductions and
/// broadcasts leave the buffers alone, gathers repeat this rank's value): enough to look at what
/// one rank's step copies and dequantizes, without MPI.
final class LoneRankCommunicator: Communicator {
  let rank: Int, size: Int
  init(rank: Int, size: Int) { (self.rank, self.size) = (rank, size) }

  func allReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws {}
  func broadcast<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws {}
  func broadcast(bytes: inout [UInt8], root: Int) throws {}
  func barrier() throws {}
  func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] { Array(repeating: value, count: size) }
  func allGather(bytes: [UInt8]) throws -> [[UInt8]] { Array(repeating: bytes, count: size) }
  func abort(code: Int32, message: String) -> Never { preconditionFailure("abort: \(message)") }
}

/// `count` 2-D "images" of integer levels 0 ..< bins.
func levelSource(count: Int, bins: Int) -> InMemorySource {
  InMemorySource(rows: (0 ..< 2 * count).map { Float(($0 * 5 + $0 / 3) % bins) }, exampleShape: [2])
}

/// A trainer of the toy model on discrete data, on one rank of `communicator`'s group.
func dequantizingTrainer(
  _ preprocessing: Dequantization?, source: InMemorySource, options: TrainerOptions,
  communicator: any Communicator = LocalCommunicator(), model: ((ParameterStore<Float>) -> FlowModel)? = nil,
  directory: String? = nil
) throws -> (trainer: Trainer<LikelihoodObjective>, store: ParameterStore<Float>) {
  let store = ParameterStore<Float>()
  let trainer = try likelihoodTrainer(
    model?(store) ?? makeToyModel(store), store, training: source, preprocessing: preprocessing,
    options: options, run: RunSetup(directory: directory, configText: "", configHash: 1),
    communicator: communicator, logger: LogLines().logger)
  return (trainer, store)
}

/// y' of one example's levels, computed here from the stream (not through `Dequantization.apply`),
/// with Σ log|dy'/dy|.
func handDequantized(_ x: [Float], example: Int, bins: Int, transform: Dequantization.Transform,
                     noise: RandomStream) -> (values: [Float], logDet: Double) {
  let u: Tensor<Float> = noise.uniform([x.count], offset: RandomStream.offset(example: example))
  var logDet = 0.0
  let values = x.indices.map { j -> Float in
    let y = (Double(x[j]) + Double(u.scalars[j])) / Double(bins)
    switch transform {
    case .shift(let s):
      return Float(y + s)
    case .logit(let a):
      let p = a + (1 - 2 * a) * y
      logDet += log((1 - 2 * a) / (p * (1 - p)))
      return Float(log(p / (1 - p)))
    }
  }
  return (values, logDet)
}

/// log p(z) = 0 everywhere: the uniform density on [0, 1)^D when the data lie there.
struct UniformUnitCube: BaseDistribution {
  func logProbability<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    z.tape.constant(0, shape: [z.shape[0]])
  }

  func sample<S: TensorScalar>(count: Int, eventShape: Shape, on tape: Tape<S>, condition: Variable<S>?,
                               temperature: Double, noise: RandomStream, firstExample: Int) -> Variable<S> {
    preconditionFailure("not needed by these tests")
  }
}

/// z = 2x, but an "inverse" x = z/3: a broken layer the round-trip metric must catch.
struct BrokenDoubling: InvertibleFlowLayer {
  func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowResult(output: x.scaled(by: 2), logAbsDet: x.tape.constant(S(Double(x.shape.count / x.shape[0]) * log(2)),
                                                                 shape: [x.shape[0]]))
  }

  func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowResult(output: z.scaled(by: S(1.0 / 3)), logAbsDet: z.tape.constant(0, shape: [z.shape[0]]))
  }
}
