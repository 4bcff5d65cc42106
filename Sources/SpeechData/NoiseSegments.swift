import Datasets
import TensorCore

/// Random audio with random "mel" conditions: the inputs of the PyTorch WaveGlow peer benchmark
/// (BENCHMARKS.md (e): audio uniform in [−1, 1), mel standard normal), for timing a vocoder of any
/// band count without a corpus. Drawn per (step's stream, example), never by rank.
///
/// ```
/// x_i ~ U[−1, 1)^L   [1, L]          c_i ~ N(0, I)   [bands, 1 + ⌊L/hop⌋]
/// ```
public struct NoiseSegments: DrawnSegmentSource {
  public let count: Int
  public let segmentLength: Int
  public let bands: Int
  public let hop: Int

  public init(count: Int, segmentLength: Int, bands: Int, hop: Int) {
    precondition(count >= 1 && segmentLength >= 1 && bands >= 1 && hop >= 1,
                 "noise segments need positive sizes, got \(count) × \(segmentLength), \(bands) bands, hop \(hop)")
    self.count = count
    self.segmentLength = segmentLength
    self.bands = bands
    self.hop = hop
  }

  public var exampleShape: Shape { [1, segmentLength] }
  public var conditionShape: Shape? { [bands, 1 + segmentLength / hop] }

  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                           into out: UnsafeMutableBufferPointer<Float>) throws {
    fill(indices, stream: draw.stream(.syntheticAudio), element: 0, perExample: segmentLength, into: out) {
      $0.fillUniform($1, offset: $2, interval: .closedOpen)
      for j in $1.indices { $1[j] = 2 * $1[j] - 1 }
    }
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                             into out: UnsafeMutableBufferPointer<Float>) throws {
    // Past the audio's draws in the example's stretch of the stream.
    fill(indices, stream: draw.stream(.syntheticAudio), element: segmentLength, perExample: conditionShape!.count,
         into: out) { $0.fillNormal($1, offset: $2) }
  }

  private func fill(_ indices: UnsafeBufferPointer<Int>, stream: RandomStream, element: Int, perExample: Int,
                    into out: UnsafeMutableBufferPointer<Float>,
                    _ body: (RandomStream, UnsafeMutableBufferPointer<Float>, UInt64) -> Void) {
    precondition(out.count == indices.count * perExample, "buffer holds \(out.count) floats, not \(indices.count) × \(perExample)")
    for (k, i) in indices.enumerated() {
      body(stream, UnsafeMutableBufferPointer(rebasing: out[k * perExample ..< (k + 1) * perExample]),
           RandomStream.offset(example: i, element: element))
    }
  }
}
