import ArgumentParser
import Audio
import Datasets
import Spectral
import Support

struct Mel: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "The log-mel spectrogram of a 16 kHz recording, as the vocoder reads it: 80 × frames, float32 .npy.",
    discussion: """
      The vocoder's front end: |STFT| (n_fft 1024, hop 256, periodic Hann, centered, reflect padding),
      80 Slaney mel bands with area normalization over 0–8 kHz, ln(max(mel, 1e-5)); frames = 1 + ⌊samples/256⌋.
      Reads WAV (16/24-bit PCM, float) and FLAC; stereo is mixed down to mono.
      """)

  @Argument(help: "A 16 kHz audio file (WAV or FLAC).")
  var input: String

  @Option(help: "The .npy file to write: float32, shape (80, frames), numpy's mel[band, frame].")
  var out: String

  func validate() throws {
    guard out.hasSuffix(".npy") else { throw ValidationError("--out must end in .npy, got '\(out)'") }
  }

  func run() throws {
    let clip = try AudioFile.read(input, sampleRate: MelFrontEnd.sampleRate)
    if let notice = clip.mixdownNotice { warn("\(input): \(notice)") }
    let mel: LogMelSpectrogram
    do {
      mel = try MelFrontEnd().logMel(of: clip.samples)
    } catch let error as SignalTooShort {
      throw DataFileError(path: input, "\(error) (32 ms at 16 kHz); give a longer recording")
    }
    try NpyWriter.write(mel.values, shape: [mel.bands, mel.frames], to: out)
    print("\(input): \(String(format: "%.2f", clip.duration)) s → \(mel.bands) × \(mel.frames) log-mel frames in \(out)")
  }
}
