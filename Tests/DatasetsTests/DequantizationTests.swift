import Datasets
import Foundation
import TensorCore
import XCTest

final class DequantizationTests: XCTestCase {
  /// [count, d] integer levels 0 ..< bins, a fixed pattern.
  private func levels(count: Int, d: Int, bins: Int) -> [Float] {
    (0 ..< count * d).map { Float(($0 * 7 + $0 / d) % bins) }
  }

  private func dequantized(_ x: [Float], examples: [Int], _ q: Dequantization, noise: RandomStream)
    -> (values: [Float], logDets: [Double]) {
    var values = x, logDets = [Double](repeating: .nan, count: examples.count)
    values.withUnsafeMutableBufferPointer { v in
      examples.withUnsafeBufferPointer { e in
        logDets.withUnsafeMutableBufferPointer { q.apply(to: v, examples: e, noise: noise, logDeterminants: $0) }
      }
    }
    return (values, logDets)
  }

  func testNoiseDependsOnTheExampleIndexNotOnTheRankOrPosition() {
    // A global batch of dataset examples; rank r of W takes positions r, r + W, … (DESIGN §5).
    let examples = [41, 7, 1000, 3, 19, 250, 8]
    let d = 20, q = Dequantization(bins: 17, transform: .logit(alpha: 0.05))
    let noise = Dequantization.trainingNoise(seed: 9, step: 12)
    let x = levels(count: examples.count, d: d, bins: 17)
    let whole = dequantized(x, examples: examples, q, noise: noise)
    for size in [2, 3] {
      for rank in 0 ..< size {
        let positions = Array(stride(from: rank, to: examples.count, by: size))
        let shard = dequantized(positions.flatMap { x[$0 * d ..< ($0 + 1) * d] }, examples: positions.map { examples[$0] },
                                q, noise: noise)
        for (k, p) in positions.enumerated() {
          XCTAssertEqual(Array(shard.values[k * d ..< (k + 1) * d]), Array(whole.values[p * d ..< (p + 1) * d]),
                         "rank \(rank) of \(size), position \(p)")
          XCTAssertEqual(shard.logDets[k], whole.logDets[p])
        }
      }
    }
  }

  func testShiftDequantizationIsXPlusTheStreamsUniformOverBins() {
    let examples = [5, 2], d = 37, bins = 4
    let x = levels(count: 2, d: d, bins: bins)
    let noise = Dequantization.trainingNoise(seed: 3, step: 0)
    let result = dequantized(x, examples: examples, Dequantization(bins: bins, transform: .shift(-0.5)), noise: noise)
    for (k, example) in examples.enumerated() {
      let u: Tensor<Float> = noise.uniform([d], offset: RandomStream.offset(example: example))
      for j in 0 ..< d {
        let expected = Float((Double(x[k * d + j]) + Double(u.scalars[j])) / Double(bins) - 0.5)
        XCTAssertEqual(result.values[k * d + j], expected, "example \(example), element \(j)")
      }
      XCTAssertEqual(result.logDets[k], 0)
    }
    XCTAssertNotEqual(result.values[0 ..< d], result.values[d ..< 2 * d], "different examples draw different noise")
    let other = dequantized(x, examples: examples, Dequantization(bins: bins, transform: .shift(-0.5)),
                            noise: Dequantization.trainingNoise(seed: 3, step: 1))
    XCTAssertNotEqual(result.values, other.values, "another step draws other noise")
  }

  func testLogitLogDeterminantMatchesFiniteDifferences() {
    let alpha = 0.05, bins = 17
    let q = Dequantization(bins: bins, transform: .logit(alpha: alpha))
    let noise = Dequantization.evaluationNoise(seed: 4)
    let x: [Float] = [0, 16, 8, 3]  // one dimension per example, so each log-det is one element's
    let examples = [0, 1, 2, 3]
    let result = dequantized(x, examples: examples, q, noise: noise)
    func g(_ y: Double) -> Double {
      let p = alpha + (1 - 2 * alpha) * y
      return log(p / (1 - p))
    }
    for k in examples {
      let u: Tensor<Float> = noise.uniform([1], offset: RandomStream.offset(example: k))
      let y = (Double(x[k]) + Double(u.scalars[0])) / Double(bins), h = 1e-6
      let slope = (g(y + h) - g(y - h)) / (2 * h)
      XCTAssertEqual(result.logDets[k], log(slope), accuracy: 1e-7, "example \(k), y = \(y)")
      XCTAssertEqual(Double(result.values[k]), g(y), accuracy: 1e-5)
    }
  }

  func testIntensitiesRecoverTheLevels() {
    let bins = 17, d = 64
    let x = levels(count: 10, d: d, bins: bins)
    for transform in [Dequantization.Transform.shift(0), .shift(-0.5), .logit(alpha: 0.05)] {
      let q = Dequantization(bins: bins, transform: transform)
      let y = dequantized(x, examples: Array(100 ..< 110), q, noise: Dequantization.trainingNoise(seed: 1, step: 5))
      XCTAssertEqual(q.intensities(fromModel: y.values), x.map { $0 / 16 }, "\(transform)")
    }
    let q = Dequantization(bins: 4, transform: .shift(-0.5))
    XCTAssertEqual(q.intensities(fromModel: [-10, 10, .nan]).prefix(2), [0, 1], "clamped to the end levels")
    XCTAssertTrue(q.intensities(fromModel: [.nan])[0].isNaN)
  }

  func testDataLogLikelihoodAddsTheLogDetAndSubtractsDLogBins() {
    // A model that is uniform on [0, 1)^D (log p(y) = 0) on 8-bit data: −log P(x) = D·ln 256,
    // i.e. exactly 8 bits/dim.
    let d = 3072
    let nll = -Dequantization(bins: 256).dataLogLikelihood(model: 0, preprocessingLogDet: 0, dimensions: d)
    XCTAssertEqual(nll / (Double(d) * log(2)), 8, accuracy: 1e-12)
    // D = 3, 4 bins: log p(y') = −1.5 nats, Σ log-dets = 0.25 → log P(x) = −1.5 + 0.25 − 3·ln 4.
    let ll = Dequantization(bins: 4).dataLogLikelihood(model: -1.5, preprocessingLogDet: 0.25, dimensions: 3)
    XCTAssertEqual(ll, -1.25 - 3 * log(4.0), accuracy: 1e-12)
    XCTAssertEqual(-ll / (3 * log(2)), 1.25 / (3 * log(2)) + 2, accuracy: 1e-12, "bits/dim = NLL_y/(D ln 2) + log2(bins)")
  }
}
