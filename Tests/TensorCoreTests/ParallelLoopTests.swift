import TensorCore
import XCTest
import _TestSupport

/// Laminar's own parallel loops: every index once, and kernels that use them give the same bits
/// on one thread and on two.
final class ParallelLoopTests: XCTestCase {
  private var threads = 1
  override func setUp() { threads = BLASThreads.count }
  override func tearDown() { BLASThreads.set(threads) }

  func testEveryIndexRunsOnceAndNestedLoopsRunInline() {
    BLASThreads.set(2)
    for count in [0, 1, 2, 7, 1000] {
      var visits = [Int](repeating: 0, count: count)
      visits.withUnsafeMutableBufferPointer { v in
        ParallelLoop.forEach(count) { i in
          v[i] += 1
          ParallelLoop.forEach(3) { _ in v[i] += 10 }
        }
      }
      XCTAssertEqual(visits, [Int](repeating: 31, count: count), "count \(count)")
    }
    var chunks: [Range<Int>] = []
    let lock = NSLock()
    ParallelLoop.forEachChunk(100_001, chunk: 30_000) { r in lock.lock(); chunks.append(r); lock.unlock() }
    XCTAssertEqual(chunks.sorted { $0.lowerBound < $1.lowerBound },
                   [0..<30_000, 30_000..<60_000, 60_000..<90_000, 90_000..<100_001])
  }

  /// WaveNet's dilated layer and a strided 1-D convolution, forward and every gradient, and the
  /// equal-shape binary kernels: bit-identical on 1 and 2 threads.
  func testKernelsGiveTheSameBitsOnOneAndTwoThreads() {
    func run(threads: Int) -> [[Float]] {
      BLASThreads.set(threads)
      var rng = SeededGenerator(seed: 3)
      var results: [[Float]] = []
      for (input, weight, window) in [([6, 40, 1, 700], [70, 40, 1, 3], ConvolutionWindow.temporal(padding: 4, dilation: 4)),
                                      ([3, 8, 1, 900], [5, 8, 1, 16], ConvolutionWindow.temporal(stride: 4))] as [(Shape, Shape, ConvolutionWindow)] {
        let g = ConvolutionGeometry(input: input, weight: weight, window: window)
        let x = KernelCheck.random(input.count, &rng).map { Float($0) }
        let w = KernelCheck.random(weight.count, &rng).map { Float($0) }
        let b = KernelCheck.random(weight[0], &rng).map { Float($0) }
        var y = [Float](repeating: 0, count: g.batch * g.outChannels * g.outputPixels)
        var scratch = [Float](repeating: 0, count: g.scratchCount)
        Convolution.forward(g, input: x, weight: w, bias: b, output: &y, scratch: &scratch)
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count)
        var db = [Float](repeating: 0, count: b.count)
        Convolution.backward(g, input: x, weight: w, dOutput: y, dInput: &dx, dWeight: &dw, dBias: &db,
                             scratch: &scratch)
        results += [y, dx, dw, db]
      }
      let n = 200_000
      let a = KernelCheck.random(n, &rng).map { Float($0) }, c = KernelCheck.random(n, &rng).map { Float($0) }
      var product = [Float](repeating: 0, count: n), grad = [Float](repeating: 1, count: n)
      Broadcast.apply(.multiply, a, [n], c, [n], into: &product, shape: [n])
      Broadcast.gradientOfEqualShapes(.divide, withRespectTo: .right, upstream: a, output: product, a, c,
                                      count: n, into: &grad, overwrite: false)
      return results + [product, grad]
    }
    let one = run(threads: 1), two = run(threads: 2)
    for (i, (p, q)) in zip(one, two).enumerated() {
      XCTAssertEqual(p.map(\.bitPattern), q.map(\.bitPattern), "output \(i)")
    }
  }
}
