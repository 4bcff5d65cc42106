import Datasets
import TensorCore
@testable import Training
import XCTest

/// Sources of random crops (speech segments) key them by the batch's stream: the trainer must
/// hand every source its step's stream, and evaluation its fixed one.
final class DrawnExamplesTests: XCTestCase {
  /// Example i under stream s is 1000·i + the low bits of s's id (the step); -1 without a stream.
  private struct DrawEcho: ExampleSource {
    var count: Int { 4 }
    var exampleShape: Shape { [1] }

    func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
      for k in indices.indices { out[k] = -1 }
    }

    func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: RandomStream,
                      into out: UnsafeMutableBufferPointer<Float>) throws {
      for (k, i) in indices.enumerated() { out[k] = Float(1000 * i) + Float(draw.stream & 0xFFFF) }
    }
  }

  func testTheBatchPassesItsStreamToTheSource() throws {
    let batch = LikelihoodBatch(eventShape: [1], conditionShape: nil, preprocessing: nil)
    try batch.load([2, 0, 3], from: DrawEcho(), noise: Dequantization.trainingNoise(seed: 1, step: 5))
    XCTAssertEqual(Array(batch.values[0 ..< 3]), [2005, 5, 3005])
    try batch.load([1], from: DrawEcho(), noise: Dequantization.trainingNoise(seed: 1, step: 6))
    XCTAssertEqual(batch.values[0], 1006)
  }

  func testRepurposedStreamsKeepTheStepAndChangeOnlyThePurpose() {
    let noise = Dequantization.trainingNoise(seed: 9, step: 77)
    let segments = noise.repurposed(.audioSegment)
    XCTAssertEqual(segments, RandomStream(seed: 9, purpose: .audioSegment, minor: 77))
    XCTAssertEqual(segments.repurposed(.dequantization), noise)
  }
}
