import Autodiff
import CAllocCounter
import Flows
import TensorCore
import XCTest
import _TestSupport

/// The logistic-mixture transform and gated self-attention (issue 10) reuse the tape's memory
/// once a first pass has sized the arena.
final class FlowPlusPlusAllocationTests: XCTestCase {
  private func mallocsPerPass(_ pass: @escaping (Tape<Float>) -> Variable<Float>, store: ParameterStore<Float>)
    -> [UInt64]
  {
    let tape = Tape<Float>(parameters: store)
    func run() {
      tape.reset()
      store.zeroGradients()
      tape.backward(from: pass(tape))
    }
    run()
    run()
    var counts: [UInt64] = []
    counts.reserveCapacity(4)
    for _ in 0..<4 {
      let before = alloc_counter_thread_count()
      run()
      counts.append(alloc_counter_thread_count() - before)
    }
    return counts
  }

  private func random(_ shape: Shape, seed: UInt64) -> Tensor<Float> {
    var rng = SeededGenerator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.count).map { _ in Float.random(in: -1...1, using: &rng) })
  }

  func testMixtureTransformMakesNoHeapAllocation() throws {
    guard alloc_counter_is_active() == 1 else { throw MissingDependency.skipOrFail("malloc counting needs Linux/glibc") }
    let cdf = MixtureLogisticCDF(components: 4)
    let store = ParameterStore<Float>()
    let h = store.add("h", shape: [8, cdf.parametersPerChannel * 2, 4, 4])
    store.initialize(seed: 1)
    let x = random([8, 2, 4, 4], seed: 2)
    for (i, v) in random([8, cdf.parametersPerChannel * 2, 4, 4], seed: 3).scalars.enumerated() { store.values[i] = v }
    let counts = mallocsPerPass({ tape in
      let (y, logDet) = cdf(tape.input(x), conditioner: tape.parameter(h))
      return (y.square() + logDet).sum()
    }, store: store)
    XCTAssertEqual(counts, [0, 0, 0, 0], "mallocs per forward + backward of the mixture transform")
  }

  /// Attention's own code builds no arrays (shapes by `replacing`, slices one by one); the few
  /// mallocs per pass that remain come from the shared primitives it calls (convolution, GEMM,
  /// broadcasting), so this checks they are a constant that does not grow with the batch.
  func testGatedSelfAttentionAllocationsDoNotGrowWithTheBatch() throws {
    guard alloc_counter_is_active() == 1 else { throw MissingDependency.skipOrFail("malloc counting needs Linux/glibc") }
    func counts(batch: Int) -> [UInt64] {
      let store = ParameterStore<Float>()
      let attention = GatedSelfAttention("a", width: 8, heads: 2, positions: (4, 4), parameters: store)
      store.initialize(seed: 4)
      let x = random(Shape([batch, 8, 4, 4]), seed: 5)
      return mallocsPerPass({ tape in attention(tape.input(x)).square().sum() }, store: store)
    }
    let small = counts(batch: 6), large = counts(batch: 24)
    XCTAssertEqual(Set(small).count, 1, "\(small)")
    XCTAssertEqual(small, large)
    print("gated self-attention: \(small[0]) mallocs per forward + backward pass at batch 6 and 24")
  }
}
