import ArgumentParser
import Audio
import Datasets
import Foundation
import Runs
import Spectral
import Support
import TensorCore

struct Vocode: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Turn log-mel spectrograms (or recordings, for copy-synthesis) into 16-bit WAV with a trained vocoder.",
    discussion: """
      Input: --wav IN.wav (its mel is computed by the front end of `laminar mel`), --mel M.npy (float32
      (80, frames), as `laminar mel` writes), or --input DIR (every .wav, .flac and .npy in it; --out is then
      a directory). Long inputs run in chunks of --chunk-frames mel frames, each with --context-frames of
      extra mel on both sides whose audio is dropped; the noise is keyed by sample position, so chunks join
      without seams. Prints progress and the real-time factor (audio seconds per second of generation).
      --denoise S subtracts S times the vocoder's hum (the mean spectrum of its audio for a silent mel at σ 0)
      from every STFT frame of the output (WaveGlow's denoiser; 0.01 is a usual strength).
        laminar vocode --checkpoint runs/vocoder-speech/best.safetensors --wav in.wav --sigma 0.6 --out out.wav
      """)

  @Option(help: "A vocoder checkpoint (model.family waveglow) written by laminar train.")
  var checkpoint: String

  @Option(help: "A 16 kHz recording to copy-synthesize.")
  var wav: String?

  @Option(help: "A log-mel spectrogram: float32 .npy of shape (80, frames).")
  var mel: String?

  @Option(help: "A directory of .wav/.flac recordings and .npy mels.")
  var input: String?

  @Option(help: "The WAV file to write, or with --input a directory.")
  var out: String

  // The numbers parse their next word unconditionally, so `--sigma -1` reaches validate().
  @Option(parsing: .unconditional, help: "σ of the prior when sampling (default: the config's model.sampling_sigma).")
  var sigma: Double?

  @Option(parsing: .unconditional, help: "Noise seed.")
  var seed = 0

  @Option(parsing: .unconditional, help: "Mel frames generated per chunk (256 samples each).")
  var chunkFrames = 128

  @Option(parsing: .unconditional, help: "Extra mel frames on each side of a chunk.")
  var contextFrames = 16

  @Option(parsing: .unconditional,
          help: "Remove this multiple of the vocoder's hum (its spectrum given silence) from the output, e.g. 0.01 (default 0: off).")
  var denoise = 0.0

  func validate() throws {
    let inputs = [wav, mel, input].compactMap { $0 }
    guard inputs.count == 1 else {
      throw ValidationError("pass exactly one of --wav IN.wav, --mel M.npy or --input DIR (got \(inputs.count))")
    }
    if input == nil, !out.lowercased().hasSuffix(".wav") { throw ValidationError("--out must end in .wav, got '\(out)'") }
    if let sigma, !(sigma > 0 && sigma.isFinite) { throw ValidationError("--sigma must be > 0, got \(sigma)") }
    guard seed >= 0 else { throw ValidationError("--seed must be >= 0, got \(seed)") }
    guard chunkFrames >= 1 else { throw ValidationError("--chunk-frames must be >= 1, got \(chunkFrames)") }
    guard contextFrames >= 0 else { throw ValidationError("--context-frames must be >= 0, got \(contextFrames)") }
    guard denoise >= 0 && denoise.isFinite else {
      throw ValidationError("--denoise must be a finite strength >= 0 (e.g. 0.01; 0 turns it off), got \(denoise)")
    }
  }

  func run() throws {
    let vocoder = try Vocoder(TrainedModel(checkpoint: checkpoint))
    let samplingSigma = sigma ?? vocoder.spec.samplingSigma
    var jobs: [(source: String, target: String)] = []
    if let input {
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
      let names: [String]
      do { names = try FileManager.default.contentsOfDirectory(atPath: input).sorted() } catch {
        throw ValidationError("--input \(input) cannot be listed as a directory: \(error.localizedDescription)")
      }
      for name in names where ["wav", "flac", "npy"].contains((name as NSString).pathExtension.lowercased()) {
        jobs.append(((input as NSString).appendingPathComponent(name),
                     (out as NSString).appendingPathComponent((name as NSString).deletingPathExtension + ".wav")))
      }
      guard !jobs.isEmpty else { throw ValidationError("--input \(input) holds no .wav, .flac or .npy files") }
    } else {
      jobs = [(wav ?? mel!, out)]
    }
    // One front end (its FFTW plans and filterbank) for every input and the denoiser.
    let frontEnd = MelFrontEnd()
    let denoiser = try denoise > 0 ? makeDenoiser(vocoder, stft: frontEnd.stft) : nil
    if denoiser != nil { print(String(format: "denoising: the vocoder's hum given silence removed at strength %g", denoise)) }
    var audioSeconds = 0.0, seconds = 0.0
    for (source, target) in jobs {
      let spectrogram = try Self.readMel(source, frontEnd: frontEnd)
      let clock = ContinuousClock.now
      var audio = vocoder.generate(spectrogram, samplingSigma: samplingSigma, seed: UInt64(seed),
                                   chunkFrames: chunkFrames, contextFrames: contextFrames) { done, total in
        FileHandle.standardError.write(Data("\r\(source): frame \(done)/\(total)".utf8))
      }
      // The whole output at once, so the STFT frames straddle the chunks' joins.
      if let denoiser {
        do { audio = try denoiser.denoise(audio) } catch let error as SignalTooShort {
          warn("\(target): not denoised: \(error)")
        }
      }
      let elapsed = (ContinuousClock.now - clock).seconds
      FileHandle.standardError.write(Data("\n".utf8))
      let clipped = try AudioFile.writeWAV16(audio, sampleRate: MelFrontEnd.sampleRate, to: target)
      if clipped > 0 { warn("\(target): \(clipped) samples clipped to the 16-bit range") }
      let duration = Double(audio.count) / Double(MelFrontEnd.sampleRate)
      audioSeconds += duration
      seconds += elapsed
      print(String(format: "%@ → %@: %.2f s of audio in %.2f s, %.2f× real time (σ %.2f)", source, target,
                   duration, elapsed, duration / elapsed, samplingSigma))
    }
    if jobs.count > 1 {
      print(String(format: "total: %.2f s of audio in %.2f s, %.2f× real time", audioSeconds, seconds, audioSeconds / seconds))
    }
  }

  /// The denoiser for `vocoder`: its hum is its audio at σ = 0 for 88 frames (about 1.4 s) of a
  /// silent mel. Silent is every entry at ln 1e-5, the front end's floor, not NVIDIA's zeros:
  /// this condition is the natural-log mel, where 0 would be a loud flat spectrum.
  private func makeDenoiser(_ vocoder: Vocoder, stft: ShortTimeFourierTransform) throws -> BiasDenoiser {
    let frames = 88
    let silent = LogMelSpectrogram(bands: MelFrontEnd.bands, frames: frames,
                                   values: [Float](repeating: logf(MelFrontEnd.floor), count: MelFrontEnd.bands * frames))
    let hum = vocoder.generate(silent, samplingSigma: 0, seed: 0, chunkFrames: chunkFrames, contextFrames: contextFrames)
    return try BiasDenoiser(silence: hum, strength: Float(denoise), stft: stft)
  }

  /// The mel of a recording (through the front end) or of a float32 (80, frames) .npy.
  static func readMel(_ path: String, frontEnd: MelFrontEnd) throws -> LogMelSpectrogram {
    guard path.lowercased().hasSuffix(".npy") else {
      let clip = try AudioFile.read(path, sampleRate: MelFrontEnd.sampleRate)
      if let notice = clip.mixdownNotice { warn("\(path): \(notice)") }
      do { return try frontEnd.logMel(of: clip.samples) } catch let error as SignalTooShort {
        throw DataFileError(path: path, "\(error) (32 ms at 16 kHz); give a longer recording")
      }
    }
    let array = try NpyArray(contentsOf: path)
    guard array.shape.count == 2, array.shape[0] == MelFrontEnd.bands, array.shape[1] >= 2 else {
      throw DataFileError(path: path, "has shape \(array.shape) but a mel is (\(MelFrontEnd.bands), frames) with at "
                          + "least 2 frames; write one with laminar mel IN.wav --out M.npy")
    }
    let values = try array.tensor(as: Float.self).scalars
    guard values.allSatisfy(\.isFinite) else {
      throw DataFileError(path: path, "holds non-finite values; a log-mel is finite (ln of at least 1e-5)")
    }
    return LogMelSpectrogram(bands: array.shape[0], frames: array.shape[1], values: values)
  }
}
