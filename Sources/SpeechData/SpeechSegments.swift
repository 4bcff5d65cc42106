import Datasets
import Spectral
import TensorCore

/// Fixed-length segments of speech with their log-mel spectrograms as conditions: the (x, c)
/// pairs a vocoder trains on. Example i is utterance i; where in it the segment starts is drawn
/// per (seed, step, example) by the batch's `ExampleDraw`, never by the rank, so 1 rank and W ranks
/// train on the same crops (DESIGN §5).
///
/// ```
/// start_i = ⌊u·(n_i − L + 1)⌋,  u = word of the `.audioSegment` stream of the step at example i
/// x_i     = utterance_i[start_i : start_i + L]       (zero-padded when n_i < L, then start = 0)
/// c_i     = logmel(x_i)                              [80, 1 + ⌊L/256⌋]
/// ```
/// Copies without a draw (plots, `laminar eval` of whole files) take the evaluation draw of
/// seed 0. Reference: Prenger et al. 2019 (WaveGlow: random 16000-sample crops, mel of the crop).
public struct SpeechSegments: DrawnSegmentSource {
  public let corpus: SpeechCorpus
  /// Samples per segment L.
  public let segmentLength: Int
  public let frontEnd: MelFrontEnd

  public init(corpus: SpeechCorpus, segmentLength: Int, frontEnd: MelFrontEnd = MelFrontEnd()) {
    precondition(segmentLength > MelFrontEnd.fftSize / 2,
                 "segments need more than \(MelFrontEnd.fftSize / 2) samples, got \(segmentLength)")
    self.corpus = corpus
    self.segmentLength = segmentLength
    self.frontEnd = frontEnd
  }

  public var count: Int { corpus.count }
  /// [1, L]: one channel of audio (DESIGN §2: [batch, channels, time]).
  public var exampleShape: Shape { [1, segmentLength] }
  /// [80, 1 + ⌊L/256⌋]
  public var conditionShape: Shape? { [MelFrontEnd.bands, frontEnd.frameCount(samples: segmentLength)] }

  /// Where example `i`'s segment starts under `draw`.
  public func start(of i: Int, draw: ExampleDraw) -> Int {
    let room = corpus.length(of: i) - segmentLength
    guard room > 0 else { return 0 }
    let word = draw.stream(.audioSegment).block(RandomStream.offset(example: i))[0]
    return Int((UInt64(word) * UInt64(room + 1)) >> 32)
  }

  /// out: [indices.count, 1, L]
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                           into out: UnsafeMutableBufferPointer<Float>) throws {
    precondition(out.count == indices.count * segmentLength, "buffer holds \(out.count) floats, not \(indices.count) segments")
    for (k, i) in indices.enumerated() {
      corpus.copy(utterance: i, from: start(of: i, draw: draw),
                  into: UnsafeMutableBufferPointer(rebasing: out[k * segmentLength ..< (k + 1) * segmentLength]))
    }
  }

  /// out: [indices.count, 80, frames], the log-mel of each segment.
  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                             into out: UnsafeMutableBufferPointer<Float>) throws {
    let c = conditionShape!.count
    precondition(out.count == indices.count * c, "buffer holds \(out.count) floats, not \(indices.count) conditions of \(c)")
    var segment = [Float](repeating: 0, count: segmentLength)
    for (k, i) in indices.enumerated() {
      segment.withUnsafeMutableBufferPointer { corpus.copy(utterance: i, from: start(of: i, draw: draw), into: $0) }
      let mel = try frontEnd.logMel(of: segment)
      for j in 0 ..< c { out[k * c + j] = mel.values[j] }
    }
  }
}
