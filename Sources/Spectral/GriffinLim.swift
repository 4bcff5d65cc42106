#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Griffin-Lim phase reconstruction from a log-mel spectrogram: the baseline vocoder a learned
/// one has to beat (issue 9), run through the front end's own STFT.
///
/// ```
/// S      = max(0, W⁺·exp(logmel))              magnitudes [bins, T] from the mel (W⁺: pseudo-inverse)
/// c_0    = S                                    (zero phase)
/// x_i    = istft(S·e^(i∠c_i)),   X_i = stft(x_i)
/// c_i+1  = X_i − α/(1 + α)·X_{i−1}              (α = 0.99: the "fast" momentum, librosa's default)
/// out    = istft(S·e^(i∠c_n))
/// ```
/// The mel inverse is the Moore–Penrose pseudo-inverse clipped at 0 rather than librosa's
/// non-negative least squares: one [bins × bands] product per frame instead of an iterative solve
/// per frame, the minimum-norm magnitudes consistent with the mel; the clipping only removes the
/// small negative ripples the minimum-norm solution has between filter centers.
/// Reference: Griffin & Lim 1984; Perraudin, Balazs & Søndergaard 2013 (the momentum).
public struct GriffinLim: Sendable {
  public let iterations: Int
  public let momentum: Double
  public let frontEnd: MelFrontEnd
  /// [bins, bands] W⁺ = Wᵀ(W·Wᵀ)⁻¹, in Float64.
  private let inverseBasis: [Double]

  public init(iterations: Int = 100, momentum: Double = 0.99, frontEnd: MelFrontEnd = MelFrontEnd()) {
    precondition(iterations >= 0, "Griffin-Lim iterations must be ≥ 0, got \(iterations)")
    self.iterations = iterations
    self.momentum = momentum
    self.frontEnd = frontEnd
    inverseBasis = PseudoInverse.rightInverse(frontEnd.filterbank.weights, rows: frontEnd.filterbank.bands,
                                              columns: frontEnd.filterbank.bins)
  }

  /// [bins, T] → [T, bins] magnitudes S = max(0, W⁺·exp(logmel)).
  public func magnitudes(from mel: LogMelSpectrogram) -> [Float] {
    let bins = frontEnd.filterbank.bins, bands = mel.bands, frames = mel.frames
    precondition(bands == frontEnd.filterbank.bands, "mel has \(bands) bands, the front end \(frontEnd.filterbank.bands)")
    let linear = mel.values.map { Double(expf($0)) }
    var out = [Float](repeating: 0, count: frames * bins)
    for t in 0 ..< frames {
      for k in 0 ..< bins {
        var sum = 0.0
        for b in 0 ..< bands { sum += inverseBasis[k * bands + b] * linear[b * frames + t] }
        out[t * bins + k] = Float(max(0, sum))
      }
    }
    return out
  }

  /// Audio of `length` samples (default hop·(T − 1), which has T frames again) whose log-mel
  /// approximates `mel`.
  public func audio(from mel: LogMelSpectrogram, length: Int? = nil) -> [Float] {
    let stft = frontEnd.stft, bins = stft.bins, frames = mel.frames
    let length = length ?? stft.hop * (frames - 1)
    let magnitude = magnitudes(from: mel)
    var phase = ComplexSpectrogram(frames: frames, bins: bins, values: [Float](repeating: 0, count: 2 * frames * bins))
    for i in 0 ..< frames * bins { phase.values[2 * i] = 1 }
    var previous = [Float](repeating: 0, count: 2 * frames * bins)
    let carry = Float(momentum / (1 + momentum))
    for _ in 0 ..< iterations {
      // Too short for a frame to be taken (under n_fft/2 + 1 samples): nothing to refine.
      guard let rebuilt = try? stft.spectrum(of: stft.inverse(applying(magnitude, to: phase), length: length)),
            rebuilt.frames == frames else { break }
      for i in 0 ..< frames * bins {
        let re = rebuilt.values[2 * i] - carry * previous[2 * i]
        let im = rebuilt.values[2 * i + 1] - carry * previous[2 * i + 1]
        let norm = (re * re + im * im).squareRoot() + .leastNormalMagnitude
        phase.values[2 * i] = re / norm
        phase.values[2 * i + 1] = im / norm
      }
      previous = rebuilt.values
    }
    return stft.inverse(applying(magnitude, to: phase), length: length)
  }

  /// S·e^(i∠c): `phase` holds unit (or zero) complex numbers.
  private func applying(_ magnitude: [Float], to phase: ComplexSpectrogram) -> ComplexSpectrogram {
    var out = phase
    for i in 0 ..< magnitude.count {
      out.values[2 * i] *= magnitude[i]
      out.values[2 * i + 1] *= magnitude[i]
    }
    return out
  }
}
