/// WaveGlow's bias removal: a vocoder hums even given silence, at roughly the same spectrum in
/// every frame, so that spectrum (the mean STFT magnitudes of the vocoder's audio for a silent
/// mel, at σ = 0) is subtracted, scaled by a strength, from the magnitudes of every frame
/// of its output; magnitudes stay ≥ 0 and the phase is kept. Reference: Prenger et al. 2019,
/// NVIDIA's `Denoiser`.
public struct BiasDenoiser: Sendable {
  /// [bins] the magnitude spectrum removed (before scaling by `strength`).
  public let bias: [Float]
  public let strength: Float
  public let stft: ShortTimeFourierTransform

  /// The bias from `silence`, the vocoder's audio for a silent mel: the mean magnitudes of the
  /// frames whose windows lie inside it. NVIDIA's denoiser takes the first frame alone, but there
  /// the centred window sees the reflect padding, which for a steady tone can cancel half of it.
  public init(silence: [Float], strength: Float, stft: ShortTimeFourierTransform) throws {
    precondition(strength >= 0 && strength.isFinite, "denoising strength \(strength) must be finite and ≥ 0")
    let spectrum = try stft.spectrum(of: silence), bins = stft.bins
    let magnitudes = spectrum.magnitudes
    let edge = (stft.fftSize / 2 + stft.hop - 1) / stft.hop
    let inside = edge < spectrum.frames - edge ? edge ..< (spectrum.frames - edge) : 0 ..< spectrum.frames
    var bias = [Float](repeating: 0, count: bins)
    for t in inside { for k in 0 ..< bins { bias[k] += magnitudes[t * bins + k] / Float(inside.count) } }
    self.init(bias: bias, strength: strength, stft: stft)
  }

  public init(bias: [Float], strength: Float, stft: ShortTimeFourierTransform) {
    precondition(bias.count == stft.bins, "bias of \(bias.count) bins for an STFT of \(stft.bins)")
    self.bias = bias
    self.strength = strength
    self.stft = stft
  }

  /// `audio` with `strength · bias` removed from every frame's magnitudes; throws `SignalTooShort`
  /// when the audio is shorter than half an STFT window.
  public func denoise(_ audio: [Float]) throws -> [Float] {
    var spectrum = try stft.spectrum(of: audio)
    for t in 0 ..< spectrum.frames {
      for k in 0 ..< spectrum.bins {
        let i = 2 * (t * spectrum.bins + k)
        let re = spectrum.values[i], im = spectrum.values[i + 1]
        let magnitude = (re * re + im * im).squareRoot()
        guard magnitude > 0 else { continue }
        let gain = max(magnitude - strength * bias[k], 0) / magnitude
        spectrum.values[i] = re * gain
        spectrum.values[i + 1] = im * gain
      }
    }
    return stft.inverse(spectrum, length: audio.count)
  }
}
