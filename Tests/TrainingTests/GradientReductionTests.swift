import Autodiff
import Collectives
import Flows
@testable import Training
import XCTest
import _TestSupport

/// The gradient all-reduce overlapped with backward sums what the plain all-reduce after backward
/// sums, bit for bit: a bucket started before backward had finished writing into it would miss
/// the contributions that came after (in-process ranks, whose fallback reduces when started).
final class GradientReductionTests: XCTestCase {
  /// Four couplings of two 384-wide hidden layers: about 0.6 M parameters, three 1 MiB buckets
  /// whose bounds cut through weight matrices.
  private static func makeWideModel(_ store: ParameterStore<Float>) -> FlowModel {
    let flow = InvertibleFlowSequence((0..<4).map { i in
      VectorCoupling("coupling\(i)", dimension: 2, parity: i % 2, hidden: [384, 384], transform: .affineTanh,
                     parameters: store)
    })
    return FlowModel(flow: flow, base: StandardNormal(), eventShape: [2])
  }

  /// This rank's summed gradients, plain and overlapped, as bit patterns; and the starts' marks.
  private static func gradients(_ communicator: ThreadedCommunicator) throws
    -> (plain: [UInt32], overlapped: [UInt32], marks: [Int])
  {
    communicator.buckets = try Buckets(bytes: 1 << 20)
    let store = ParameterStore<Float>()
    let model = makeWideModel(store)
    store.initialize(seed: 3)
    // Coupling outputs start at zero; nudge the parameters so every gradient is non-trivial.
    for i in 0..<store.count { store.values[i] += 1e-3 * Float((i * 7919) % 13) - 6e-3 }
    let rows = (0..<8).map { Float(($0 * 37 + communicator.rank * 11) % 17) / 8 - 1 }
    let tape = Tape(parameters: store)
    func loss() -> Variable<Float> {
      let x = rows.withUnsafeBufferPointer { tape.input($0, shape: [rows.count / 2, 2]) }
      return model.logLikelihood(x).sum().scaled(by: -1)
    }
    return try sums(communicator, store, tape, loss)
  }

  /// The summed gradients of `loss` as bit patterns: all-reduced after backward (plain) and
  /// started during it (overlapped); and the overlapped starts' marks.
  private static func sums(_ communicator: any Communicator, _ store: ParameterStore<Float>, _ tape: Tape<Float>,
                           _ loss: () -> Variable<Float>) throws -> (plain: [UInt32], overlapped: [UInt32], marks: [Int]) {
    store.zeroGradients()
    tape.reset()
    tape.backward(from: loss())
    try communicator.allReduce(store.gradients, .sum)
    let plain = store.gradients.map(\.bitPattern)

    store.zeroGradients()
    tape.reset()
    var reduction = GradientReduction(parameterCount: store.count, buckets: communicator.buckets)
    try reduction.backward(tape, from: loss(), lossSum: 0, gradients: store.gradients, communicator: communicator)
    try communicator.waitForStartedAllReduces()
    XCTAssertFalse(reduction.nonFinite)
    return (plain, store.gradients.map(\.bitPattern), reduction.marks)
  }

  func testOverlappedSumIsBitIdenticalToThePlainOne() throws {
    for ranks in [2, 3] {
      let results = try ThreadedGroup.run(size: ranks) { try Self.gradients($0) }
      for (rank, result) in results.enumerated() {
        XCTAssertEqual(result.marks.count, 3, "\(ranks) ranks: buckets")
        XCTAssertEqual(result.overlapped.count, result.plain.count)
        XCTAssertEqual(zip(result.overlapped, result.plain).filter { $0 != $1 }.count, 0,
                       "\(ranks) ranks, rank \(rank): overlapped sums that differ from the plain ones")
        XCTAssertEqual(zip(result.overlapped, results[0].overlapped).filter { $0 != $1 }.count, 0,
                       "\(ranks) ranks: sums of rank \(rank) that differ from rank 0's")
        // The last bucket starts while backward still has most of the tape to run.
        XCTAssertGreaterThan(result.marks[0], result.marks[2], "every bucket waited for the end of backward")
      }
      XCTAssertTrue(results[0].plain.contains { Float(bitPattern: $0) != 0 })
    }
  }

  /// A weight whose gradient is written at both ends of backward: the first weight, read again by
  /// the last product through a second leaf. Its bucket must wait for its first use, not its last.
  func testAWeightReusedAtTheEndHoldsItsBucketBackUntilItsFirstUse() throws {
    let results = try ThreadedGroup.run(size: 2) { communicator -> (plain: [UInt32], overlapped: [UInt32]) in
      communicator.buckets = try Buckets(bytes: 1 << 20)
      let store = ParameterStore<Float>()
      // 512 × 512 floats are one 1 MiB bucket each.
      let weights = (0..<3).map { store.add("w\($0)", shape: [512, 512], initializer: .zeros) }
      for i in 0..<store.count { store.values[i] = Float((i * 7919) % 101) / 2000 - 0.025 }
      let rows = (0..<(4 * 512)).map { Float(($0 * 31 + communicator.rank * 5) % 23) / 23 - 0.5 }
      let tape = Tape(parameters: store)
      func loss() -> Variable<Float> {
        var h = rows.withUnsafeBufferPointer { tape.input($0, shape: [4, 512]) }
        for w in weights { h = tape.matmul(h, tape.parameter(w)).tanh() }
        return tape.matmul(h, tape.parameter(weights[0])).tanh().sum()
      }
      let (plain, overlapped, _) = try Self.sums(communicator, store, tape, loss)
      return (plain, overlapped)
    }
    for (rank, result) in results.enumerated() {
      XCTAssertEqual(zip(result.overlapped, result.plain).filter { $0 != $1 }.count, 0, "rank \(rank)")
    }
  }
}
