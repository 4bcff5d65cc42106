#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The mel front end of the vocoder, defined once here (issue 9): audio in, log-mel out.
///
/// ```
/// 16 kHz audio (full scale ±1)
/// → |STFT|: n_fft 1024, hop 256, periodic Hann 1024, centered, reflect padding
/// → 80 Slaney mel bands, Slaney area normalization, 0 – 8 kHz
/// → ln(max(mel, 1e-5))
/// ```
/// The Tacotron 2 / WaveGlow convention, equal to librosa's
/// `log(maximum(melspectrogram(y, sr=16000, n_fft=1024, hop_length=256, power=1, n_mels=80,
/// fmax=8000, pad_mode='reflect'), 1e-5))`. Frames: 1 + ⌊samples/256⌋.
///
/// Copies share the FFTW plans, and one front end may be used from several threads at once.
public struct MelFrontEnd: Sendable {
  public static let sampleRate = 16000
  public static let fftSize = 1024
  public static let hop = 256
  public static let bands = 80
  public static let maxFrequency = 8000.0
  /// Mel magnitudes below this are clamped before the log (ln 1e-5 ≈ −11.51).
  public static let floor: Float = 1e-5

  public let stft: ShortTimeFourierTransform
  public let filterbank: MelFilterbank

  public init() {
    stft = ShortTimeFourierTransform(fftSize: Self.fftSize, hop: Self.hop)
    filterbank = MelFilterbank(bands: Self.bands, fftSize: Self.fftSize, sampleRate: Self.sampleRate,
                               minFrequency: 0, maxFrequency: Self.maxFrequency)
  }

  /// Frames of the log-mel of `samples` samples.
  public func frameCount(samples: Int) -> Int { stft.frameCount(samples: samples) }

  /// The log-mel spectrogram of 16 kHz `samples`; throws `SignalTooShort` under 513 samples.
  public func logMel(of samples: [Float]) throws -> LogMelSpectrogram {
    let spectrum = try stft.spectrum(of: samples)
    let mel = filterbank.apply(toMagnitudes: spectrum.magnitudes, frames: spectrum.frames)
    return LogMelSpectrogram(bands: Self.bands, frames: spectrum.frames, values: mel.map { logf(max($0, Self.floor)) })
  }
}
