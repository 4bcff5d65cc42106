import Audio
import Spectral

/// Generated audio against the reference recording of one utterance, by the metrics of issue 9
/// (`MelDistance`): both as 16-bit PCM / 32768 (the generated audio quantized as its WAV file
/// holds it), log-mel of each, frames from 0, trimmed to the shorter.
public struct VocoderComparison: Sendable {
  public let name: String
  public let reference: LogMelSpectrogram
  public let generated: LogMelSpectrogram
  public let logMelL1: Double
  /// dB
  public let melCepstralDistortion: Double
  /// Generated samples outside the 16-bit range.
  public let clippedSamples: Int

  public init(name: String, reference: LogMelSpectrogram, generatedAudio: [Float], frontEnd: MelFrontEnd) throws {
    let (pcm, clipped) = AudioFile.pcm16(generatedAudio)
    self.name = name
    self.reference = reference
    generated = try frontEnd.logMel(of: pcm.map { Float($0) / 32768 })
    clippedSamples = clipped
    logMelL1 = MelDistance.logMelL1(reference: reference, generated: generated)
    melCepstralDistortion = MelDistance.melCepstralDistortion(reference: reference, generated: generated)
  }

  /// The mean of each metric over utterances (each utterance counts once, whatever its length).
  public static func means(_ comparisons: [VocoderComparison]) -> (logMelL1: Double, melCepstralDistortion: Double) {
    precondition(!comparisons.isEmpty, "no comparisons to average")
    let n = Double(comparisons.count)
    return (comparisons.reduce(0) { $0 + $1.logMelL1 } / n, comparisons.reduce(0) { $0 + $1.melCepstralDistortion } / n)
  }
}
