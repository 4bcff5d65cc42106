import TensorCore
import XCTest

/// Distribution and sharding properties of `RandomStream` fills.
final class PhiloxStreamTests: XCTestCase {
  private let count = 100_000

  private func moments<S: TensorScalar>(_ x: [S]) -> (mean: Double, variance: Double) {
    let mean = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
    let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(x.count)
    return (mean, variance)
  }

  private func uniforms<S: TensorScalar>(_: S.Type, _ interval: RandomInterval, seed: UInt64) -> [S] {
    var x = [S](repeating: -1, count: count)
    x.withUnsafeMutableBufferPointer {
      RandomStream(seed: seed, purpose: .dequantization, minor: 3).fillUniform($0, interval: interval)
    }
    return x
  }

  /// Mean 1/2 and variance 1/12; tolerances are ~5 standard errors at n = 1e5
  /// (σ_mean = 0.0009, σ_var = 0.00024).
  func testUniformRangeMeanAndVariance() {
    for interval in [RandomInterval.closedOpen, .open] {
      let seed: UInt64 = 20_240_601
      let f = uniforms(Float.self, interval, seed: seed)
      let d = uniforms(Double.self, interval, seed: seed)
      XCTAssertTrue(f.allSatisfy { $0 >= 0 && $0 < 1 }, "seed \(seed)")
      XCTAssertTrue(d.allSatisfy { $0 >= 0 && $0 < 1 }, "seed \(seed)")
      if interval == .open {
        XCTAssertFalse(f.contains(0), "seed \(seed)")
        XCTAssertFalse(d.contains(0), "seed \(seed)")
      }
      for (mean, variance) in [moments(f), moments(d)] {
        XCTAssertEqual(mean, 0.5, accuracy: 0.0045, "seed \(seed) \(interval)")
        XCTAssertEqual(variance, 1.0 / 12, accuracy: 0.0012, "seed \(seed) \(interval)")
      }
    }
  }

  /// The bit maps reach their documented extremes and never 1 (nor 0 for `.open`).
  func testIntervalEndpoints() {
    XCTAssertEqual(RandomInterval.closedOpen.float(0), 0)
    XCTAssertEqual(RandomInterval.closedOpen.float(.max), 1 - 0x1p-24)
    XCTAssertEqual(RandomInterval.open.float(0), 0x1p-24)
    XCTAssertEqual(RandomInterval.open.float(.max), 1 - 0x1p-24)
    XCTAssertEqual(RandomInterval.closedOpen.double(0), 0)
    XCTAssertEqual(RandomInterval.closedOpen.double(.max), 1 - 0x1p-53)
    XCTAssertEqual(RandomInterval.open.double(0), 0x1p-53)
    XCTAssertEqual(RandomInterval.open.double(.max), 1 - 0x1p-53)
  }

  /// Mean 0, variance 1 and the two-sided 5% tail; tolerances ~5 standard errors at n = 1e5
  /// (σ_mean = 0.0032, σ_var = 0.0045, σ_tail = 0.0007).
  func testNormalMeanVarianceAndTails() {
    let seed: UInt64 = 99
    let stream = RandomStream(seed: seed, purpose: .sampling, minor: 1)
    var f = [Float](repeating: .nan, count: count)
    var d = [Double](repeating: .nan, count: count)
    f.withUnsafeMutableBufferPointer { stream.fillNormal($0) }
    d.withUnsafeMutableBufferPointer { stream.fillNormal($0) }
    for (x, name) in [(f.map(Double.init), "Float"), (d, "Double")] {
      XCTAssertTrue(x.allSatisfy(\.isFinite), "\(name) seed \(seed)")
      let (mean, variance) = moments(x)
      XCTAssertEqual(mean, 0, accuracy: 0.016, "\(name) seed \(seed)")
      XCTAssertEqual(variance, 1, accuracy: 0.023, "\(name) seed \(seed)")
      let tail = Double(x.filter { abs($0) > 1.959964 }.count) / Double(x.count)
      XCTAssertEqual(tail, 0.05, accuracy: 0.0035, "\(name) seed \(seed)")
    }
  }

  /// One call over [examples × size] equals rank r filling positions r, r+W, … with the matching
  /// offsets, for W = 1, 2, 3. The example size 7 puts example boundaries mid-block.
  func testShardedFillsEqualOneCall() {
    let examples = 11, size = 7, base: UInt64 = 5
    let stream = RandomStream(seed: 1234, purpose: .dequantization, minor: 8)
    func check<S: TensorScalar>(_: S.Type, _ name: String,
                                _ fill: (UnsafeMutableBufferPointer<S>, UInt64) -> Void) {
      var whole = [S](repeating: 0, count: examples * size)
      whole.withUnsafeMutableBufferPointer { fill($0, base) }
      for worldSize in 1...3 {
        var sharded = [S](repeating: .nan, count: examples * size)
        for rank in 0..<worldSize {
          for position in stride(from: rank, to: examples, by: worldSize) {
            sharded.withUnsafeMutableBufferPointer { all in
              let piece = UnsafeMutableBufferPointer(rebasing: all[position * size ..< (position + 1) * size])
              fill(piece, base + UInt64(position * size))
            }
          }
        }
        XCTAssertEqual(sharded, whole, "\(name) W=\(worldSize)")
      }
    }
    check(Float.self, "uniform Float") { stream.fillUniform($0, offset: $1) }
    check(Double.self, "uniform Double") { stream.fillUniform($0, offset: $1, interval: .open) }
    check(Float.self, "normal Float") { stream.fillNormal($0, offset: $1) }
    check(Double.self, "normal Double") { stream.fillNormal($0, offset: $1) }
  }

  /// Filling one element at a time (every partial-block path) equals one call.
  func testSingleElementFillsEqualOneCall() {
    let stream = RandomStream(seed: 5, stream: 77)
    let whole: Tensor<Float> = stream.normal([13], offset: 3)
    var pieces = [Float](repeating: .nan, count: 13)
    pieces.withUnsafeMutableBufferPointer { all in
      for i in 0..<13 {
        stream.fillNormal(UnsafeMutableBufferPointer(rebasing: all[i ..< i + 1]), offset: 3 + UInt64(i))
      }
    }
    XCTAssertEqual(pieces, whole.scalars)
  }

  func testValuesDependOnSeedStreamAndOffsetOnly() {
    let a: Tensor<Double> = RandomStream(seed: 1, stream: 2).uniform([64])
    XCTAssertEqual(a, RandomStream(seed: 1, stream: 2).uniform([64]))
    XCTAssertNotEqual(a, RandomStream(seed: 2, stream: 2).uniform([64]))
    XCTAssertNotEqual(a, RandomStream(seed: 1, stream: 3).uniform([64]))
    XCTAssertNotEqual(a, RandomStream(seed: 1, stream: 2).uniform([64], offset: 1))
    XCTAssertEqual(Array(a.scalars[1...]), RandomStream(seed: 1, stream: 2).uniform([63], offset: 1).scalars)
  }
}
