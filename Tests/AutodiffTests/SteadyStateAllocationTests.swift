import Autodiff
import CAllocCounter
import TensorCore
import XCTest
import _TestSupport

/// A training step repeated on a reset tape must reuse the tape's memory: no new arena blocks,
/// no node-array growth, and (measured through the `CAllocCounter` malloc wrappers) no heap
/// allocation at all once the first step has sized everything.
final class SteadyStateAllocationTests: XCTestCase {
  /// A 2-layer MLP classifier written without matmul: each dense layer is a broadcast multiply
  /// [batch, 1, in] · [out, in] summed over `in`, plus a bias. The loss is cross-entropy,
  /// logSumExp(logits) − ⟨logits, one-hot⟩, averaged with `Tape.scaled`; a split/concatenate
  /// and a gather are threaded through so the shape ops run too.
  final class Model {
    let (batch, inputs, hidden, classes) = (8, 5, 6, 3)
    let store = ParameterStore<Float>()
    let w1, b1, w2, b2: ParameterSlice
    let x: Tensor<Float>, oneHot: Tensor<Float>
    // Built once: array and shape literals would be fresh heap arrays on every step.
    let lastAxis = [2], features = [1], rowOrder: [Int]
    let columnShape: Shape

    init() {
      w1 = store.add("w1", shape: [hidden, inputs])
      b1 = store.add("b1", shape: [hidden])
      w2 = store.add("w2", shape: [classes, hidden])
      b2 = store.add("b2", shape: [classes])
      var rng = SeededGenerator(seed: 42)
      for i in 0..<store.count { store.values[i] = Float.random(in: -0.5...0.5, using: &rng) }
      x = Tensor(shape: [batch, 1, inputs],
                 scalars: (0..<(batch * inputs)).map { _ in Float.random(in: -1...1, using: &rng) })
      let classes = self.classes
      oneHot = Tensor(shape: [batch, classes],
                      scalars: (0..<(batch * classes)).map { $0 % classes == ($0 / classes) % classes ? 1 : 0 })
      rowOrder = Array((0..<batch).reversed())
      columnShape = [batch, 1, hidden]
    }

    /// One forward and backward pass on a reset tape; returns the loss.
    func step(on tape: Tape<Float>) -> Float {
      tape.reset()
      store.zeroGradients()
      let x = tape.input(self.x)
      let hiddenPre = (x * tape.parameter(w1)).sum(alongAxes: lastAxis) + tape.parameter(b1)
      let (left, right) = hiddenPre.split(alongAxis: 1, at: 2)
      let h = tape.concatenate(left.tanh(), right.softplus(), alongAxis: 1)
      let logits = (h.reshaped(to: columnShape) * tape.parameter(w2)).sum(alongAxes: lastAxis)
        + tape.parameter(b2)
      let target = tape.input(oneHot).gathered(indices: rowOrder)
      let perExample = logits.logSumExp(alongAxis: 1) - (logits * target).sum(alongAxes: features)
      let loss = tape.scaled(perExample.sum(), by: 1 / Float(batch))
      tape.backward(from: loss)
      return loss.value[0]
    }
  }

  func testSteadyStateStepReusesTapeMemory() {
    let model = Model()
    // A first block too small for the step: step 1 overflows into a second block, and the reset
    // that starts step 2 replaces both by one block sized for the whole step.
    let tape = Tape<Float>(parameters: model.store, initialCapacity: 1 << 10)
    let firstLoss = model.step(on: tape)
    let firstGradients = Array(model.store.gradients)
    XCTAssertEqual(tape.arena.blockAllocations, 2)
    XCTAssertEqual(model.step(on: tape), firstLoss)
    XCTAssertEqual(tape.arena.blockAllocations, 3)
    let blocks = tape.arena.blockAllocations, nodeCapacity = tape.nodes.capacity
    let nodeCount = tape.nodes.count, arenaUsed = tape.arena.used
    for _ in 0..<4 {
      XCTAssertEqual(model.step(on: tape), firstLoss)
      XCTAssertEqual(tape.arena.blockAllocations, blocks)
      XCTAssertEqual(tape.nodes.capacity, nodeCapacity)
      XCTAssertEqual(tape.nodes.count, nodeCount)
      XCTAssertEqual(tape.arena.used, arenaUsed)
    }
    XCTAssertEqual(Array(model.store.gradients), firstGradients)
    XCTAssertTrue(firstGradients.allSatisfy { $0.isFinite } && firstGradients.contains { $0 != 0 })
  }

  func testSteadyStateStepMakesNoHeapAllocation() throws {
    try XCTSkipUnless(alloc_counter_is_active() == 1, "malloc counting needs Linux/glibc")
    let model = Model()
    // Two warm-up steps: the first sizes the arena (see above), the second runs on it.
    let tape = Tape<Float>(parameters: model.store, initialCapacity: 1 << 10)
    for _ in 0..<2 { _ = model.step(on: tape) }
    var counts: [UInt64] = []
    counts.reserveCapacity(8)
    for _ in 0..<8 {
      let before = alloc_counter_thread_count()
      _ = model.step(on: tape)
      counts.append(alloc_counter_thread_count() - before)
    }
    XCTAssertEqual(counts, [UInt64](repeating: 0, count: 8), "mallocs per steady-state step")
  }

  /// The counter itself must see Swift allocations, or a zero above would prove nothing.
  func testCounterSeesSwiftAllocations() throws {
    try XCTSkipUnless(alloc_counter_is_active() == 1, "malloc counting needs Linux/glibc")
    let before = alloc_counter_thread_count()
    let arena = Arena<Float>(initialCapacity: 1000)  // a class instance and a 64-byte-aligned block
    let array = [Int](repeating: 7, count: Int.random(in: 100...200))
    let after = alloc_counter_thread_count()
    XCTAssertGreaterThanOrEqual(after - before, 3)
    XCTAssertEqual(arena.blockAllocations, 1)
    XCTAssertEqual(array.first, 7)
  }
}
