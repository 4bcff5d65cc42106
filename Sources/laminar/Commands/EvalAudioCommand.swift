import ArgumentParser
import Audio
import Foundation
import Graphics
import Spectral
import SpeechData
import VocoderEvaluation

struct EvalAudio: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval-audio",
    abstract: "Vocoder metrics on speech: log-mel L1 and mel-cepstral distortion of audio generated from each utterance's mel.",
    discussion: """
      --griffin-lim runs the baseline a vocoder has to beat: Griffin-Lim (momentum 0.99, zero initial phase) on
      magnitudes from the pseudo-inverse of the mel basis, with the mel front end's own STFT. Figures are means
      over utterances; generated audio is scored as the 16-bit WAV it is written as.
        laminar eval-audio --griffin-lim --data speech_val_audio.npy --offsets speech_val_offsets.npy --out gl/
        laminar eval-audio --griffin-lim --data wavs/
      """)

  @Option(help: "Speech: a folder of 16 kHz WAV/FLAC files, or a .npy of int16 utterances concatenated (with --offsets).")
  var data: String

  @Option(help: "With a .npy --data: the int64 (N+1,) offsets, utterance i = audio[offsets[i]:offsets[i+1]].")
  var offsets: String?

  @Flag(help: "Evaluate Griffin-Lim from each utterance's mel (the baseline).")
  var griffinLim = false

  // The numbers parse their next word unconditionally, so `--iterations -1` reaches validate().
  @Option(parsing: .unconditional, help: "Griffin-Lim iterations.")
  var iterations = 100

  @Option(help: "A directory for reference/generated WAV pairs and mels.png.")
  var out: String?

  @Option(parsing: .unconditional, help: "How many utterances get WAV pairs and a row in mels.png.")
  var examples = 3

  func validate() throws {
    guard griffinLim else {
      throw ValidationError("nothing to evaluate: pass --griffin-lim (a vocoder checkpoint is evaluated by laminar eval)")
    }
    guard iterations >= 0 else { throw ValidationError("--iterations must be >= 0, got \(iterations)") }
    guard examples >= 0 else { throw ValidationError("--examples must be >= 0, got \(examples)") }
  }

  func run() throws {
    let corpus = try loadCorpus()
    for notice in corpus.notices { warn(notice) }
    if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
    let frontEnd = MelFrontEnd()
    let griffinLim = GriffinLim(iterations: iterations, frontEnd: frontEnd)
    let method = "griffin-lim-\(iterations)"
    var comparisons: [VocoderComparison] = [], seconds = 0.0, cpuSeconds = 0.0, audioSeconds = 0.0
    for i in 0 ..< corpus.count {
      let reference = corpus.samples(of: i)
      let mel: LogMelSpectrogram
      do { mel = try frontEnd.logMel(of: reference) } catch {
        throw ValidationError("\(data): utterance \(corpus.names[i]) \(error)")
      }
      let clock = ContinuousClock.now, cpu = threadCPUSeconds()
      let generated = griffinLim.audio(from: mel)
      seconds += (ContinuousClock.now - clock).seconds
      cpuSeconds += threadCPUSeconds() - cpu
      audioSeconds += Double(generated.count) / Double(MelFrontEnd.sampleRate)
      let comparison = try VocoderComparison(name: corpus.names[i], reference: mel, generatedAudio: generated,
                                             frontEnd: frontEnd)
      comparisons.append(comparison)
      if let out, i < examples {
        let stem = (out as NSString).appendingPathComponent(String(format: "%03d", i))
        try AudioFile.writeWAV16(reference, sampleRate: MelFrontEnd.sampleRate, to: stem + "-reference.wav")
        try AudioFile.writeWAV16(generated, sampleRate: MelFrontEnd.sampleRate, to: stem + "-\(method).wav")
      }
    }
    let means = VocoderComparison.means(comparisons)
    let total = Double((0 ..< corpus.count).reduce(0) { $0 + corpus.length(of: $1) })
    print("utterances   \(corpus.count) (\(String(format: "%.1f", total / Double(MelFrontEnd.sampleRate))) s) from \(data)")
    // On a shared machine the wall time includes waiting for a core; the CPU time does not.
    print("method             log-mel L1   MCD (dB)   time (s)   CPU (s)   × real time (1 thread, by CPU time)")
    print(String(format: "%-18@ %10.4f %10.3f %10.2f %9.2f %10.1f", method as NSString, means.logMelL1,
                 means.melCepstralDistortion, seconds, cpuSeconds, audioSeconds / cpuSeconds))
    let clipped = comparisons.reduce(0) { $0 + $1.clippedSamples }
    if clipped > 0 { warn("\(clipped) generated samples were clipped to the 16-bit range") }
    if let out, examples > 0 {
      let rows = comparisons.prefix(examples).map {
        MelComparisonFigure.Row(name: $0.name, reference: $0.reference, generated: $0.generated)
      }
      let path = (out as NSString).appendingPathComponent("mels.png")
      try PNG.write(MelComparisonFigure.render(Array(rows), generatedTitle: method), to: URL(fileURLWithPath: path))
      print("wrote        \(min(examples, corpus.count)) WAV pairs and \(path)")
    }
  }

  private func loadCorpus() throws -> SpeechCorpus {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue {
      guard offsets == nil else { throw ValidationError("--offsets goes with a .npy --data, not the folder \(data)") }
      return try SpeechCorpus(folder: data)
    }
    guard let offsets else {
      throw ValidationError("--data \(data) is not a folder: pass --offsets with the utterance offsets of this .npy")
    }
    return try SpeechCorpus(audio: data, offsets: offsets)
  }
}

/// CPU seconds the calling thread has used.
private func threadCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
