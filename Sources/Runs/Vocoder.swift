import Autodiff
import Flows
import Foundation
import Models
import Spectral
import TensorCore

/// A trained WaveGlow checkpoint used as a vocoder: log-mel in, audio out, and the likelihood of
/// whole utterances.
///
/// Long inputs are generated in chunks of mel frames, each with `contextFrames` extra frames on
/// both sides whose audio is thrown away. The latent noise is drawn per absolute sample position
/// (not per chunk), and the upsampler moves by exactly one hop per frame, so every kept sample
/// sees the same noise and, within the context, the same mel as an unchunked run: chunks join
/// without seams as long as the context covers the flow's receptive field.
public struct Vocoder {
  public let trained: TrainedModel
  public let spec: WaveGlowSpec
  public let upsampler: MelUpsampler
  public let sigma: Double

  public init(_ trained: TrainedModel) throws {
    guard case .audio(let spec) = trained.spec.model, let upsampler = trained.model.conditionEncoder as? MelUpsampler,
          let base = trained.model.base as? ScaledNormal else {
      throw VocoderError("\(trained.checkpoint.path) is not a vocoder (model.family waveglow) checkpoint")
    }
    guard upsampler.bands == MelFrontEnd.bands else {
      throw VocoderError("\(trained.checkpoint.path) reads \(upsampler.bands)-band mels, not the front end's "
                         + "\(MelFrontEnd.bands) (a data.source noise benchmark model cannot vocode)")
    }
    self.trained = trained
    self.spec = spec
    self.upsampler = upsampler
    sigma = base.sigma
  }

  /// Samples generated for a mel of `frames` frames: one hop per frame after the first.
  public static func samples(frames: Int) -> Int { (frames - 1) * WaveGlowSpec.hop }

  /// Audio for `mel` at prior σ `samplingSigma`, noise from `seed`; `progress(done, total)` after
  /// each chunk of at most `chunkFrames` frames.
  public func generate(_ mel: LogMelSpectrogram, samplingSigma: Double, seed: UInt64, chunkFrames: Int,
                       contextFrames: Int, progress: (Int, Int) -> Void = { _, _ in }) -> [Float] {
    precondition(mel.bands == upsampler.bands && mel.frames >= 2 && chunkFrames >= 1 && contextFrames >= 0,
                 "mel \(mel.bands) × \(mel.frames), chunks of \(chunkFrames), context \(contextFrames)")
    let hop = WaveGlowSpec.hop, total = mel.frames - 1
    let noise = RandomStream(seed: seed, purpose: .sampling)
    var audio = [Float](repeating: 0, count: Self.samples(frames: mel.frames))
    let tape = Tape<Float>(parameters: trained.trainable.parameters)
    var first = 0
    while first < total {
      let last = min(total, first + chunkFrames)
      let (from, to) = (max(0, first - contextFrames), min(total, last + contextFrames))
      tape.reset()
      let length = (to - from) * hop
      let condition = tape.input(Tensor(shape: [1, mel.bands, to - from + 1], scalars: mel.frames(from ..< to + 1)))
      let features = upsampler.resized(samples: length).encode(condition)
      let z = tape.arena.allocate(length)
      noise.fillNormal(UnsafeMutableBufferPointer(start: z, count: length),
                       offset: RandomStream.offset(example: 0, element: from * hop))
      let latent = tape.input(UnsafeBufferPointer(start: z, count: length), shape: [1, 1, length])
        .scaled(by: Float(samplingSigma))
      let x = trained.model.flow.inverse(latent, condition: features).output.value
      for i in (first - from) * hop ..< (last - from) * hop { audio[from * hop + i] = x[i] }
      first = last
      progress(first, total)
    }
    return audio
  }

  /// log p(x | mel(x)) / samples in nats for one utterance, cropped to whole hops (the segment
  /// model applied to the whole recording).
  public func negativeLogLikelihoodPerSample(_ samples: [Float], frontEnd: MelFrontEnd) throws -> Double {
    let hop = WaveGlowSpec.hop, length = (samples.count / hop) * hop
    precondition(length >= hop, "an utterance of \(samples.count) samples is shorter than a hop")
    let cropped = Array(samples[0 ..< length])
    let mel = try frontEnd.logMel(of: cropped)
    let model = FlowModel(flow: trained.model.flow, base: trained.model.base, eventShape: [1, length],
                          conditionShape: [mel.bands, mel.frames],
                          conditionEncoder: upsampler.resized(samples: length))
    let tape = Tape<Float>(parameters: trained.trainable.parameters)
    let ll = model.logLikelihood(tape.input(Tensor(shape: [1, 1, length], scalars: cropped)),
                                 condition: tape.input(Tensor(shape: [1, mel.bands, mel.frames], scalars: mel.values)))
    return -Double(ll.value[0]) / Double(length)
  }
}

/// A checkpoint or input a vocoder cannot use, with what to pass instead.
public struct VocoderError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension LogMelSpectrogram {
  /// [bands, range.count] values of frames `range`, band-major.
  func frames(_ range: Range<Int>) -> [Float] {
    var out = [Float](repeating: 0, count: bands * range.count)
    for b in 0 ..< bands {
      for (j, t) in range.enumerated() { out[b * range.count + j] = values[b * frames + t] }
    }
    return out
  }
}
