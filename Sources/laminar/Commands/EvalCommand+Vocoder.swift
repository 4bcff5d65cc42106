import ArgumentParser
import Audio
import Collectives
import Foundation
import Graphics
import Runs
import Spectral
import SpeechData
import TensorCore
import VocoderEvaluation

extension Eval {
  /// A vocoder on held-out utterances (issue 9): NLL per audio sample of each whole utterance, and
  /// audio generated from each utterance's mel scored by log-mel L1 and MCD beside Griffin-Lim-100
  /// from the same mel, with the real-time factor of each.
  func evaluateVocoder(_ trained: TrainedModel, world: any Communicator) throws {
    guard world.rank == 0 else { return }
    let vocoder = try Vocoder(trained)
    let corpus = try speechCorpus(trained)
    let frontEnd = MelFrontEnd(), griffinLim = GriffinLim(iterations: 100, frontEnd: frontEnd)
    let samplingSigma = sigma ?? vocoder.spec.samplingSigma
    if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
    var nll = 0.0, generated: [VocoderComparison] = [], baseline: [VocoderComparison] = []
    var (vocoderSeconds, baselineSeconds, audioSeconds) = (0.0, 0.0, 0.0)
    for i in 0 ..< corpus.count {
      let reference = corpus.samples(of: i)
      nll += try vocoder.negativeLogLikelihoodPerSample(reference, frontEnd: frontEnd)
      let mel = try frontEnd.logMel(of: reference)
      var clock = ContinuousClock.now
      let audio = vocoder.generate(mel, samplingSigma: samplingSigma, seed: 0, chunkFrames: 128, contextFrames: 16)
      vocoderSeconds += (ContinuousClock.now - clock).seconds
      clock = ContinuousClock.now
      let gl = griffinLim.audio(from: mel)
      baselineSeconds += (ContinuousClock.now - clock).seconds
      audioSeconds += Double(audio.count) / Double(MelFrontEnd.sampleRate)
      generated.append(try VocoderComparison(name: corpus.names[i], reference: mel, generatedAudio: audio, frontEnd: frontEnd))
      baseline.append(try VocoderComparison(name: corpus.names[i], reference: mel, generatedAudio: gl, frontEnd: frontEnd))
      if let out, i < examples {
        let stem = (out as NSString).appendingPathComponent(String(format: "%03d", i))
        try AudioFile.writeWAV16(reference, sampleRate: MelFrontEnd.sampleRate, to: stem + "-reference.wav")
        try AudioFile.writeWAV16(audio, sampleRate: MelFrontEnd.sampleRate, to: stem + "-vocoder.wav")
        try AudioFile.writeWAV16(gl, sampleRate: MelFrontEnd.sampleRate, to: stem + "-griffin-lim-100.wav")
      }
    }
    let v = VocoderComparison.means(generated), g = VocoderComparison.means(baseline)
    print("utterances   \(corpus.count) (\(String(format: "%.1f", audioSeconds)) s)")
    print(String(format: "NLL          %.5f nats per audio sample (whole utterances, cropped to whole hops)",
                 nll / Double(corpus.count)))
    print("method               log-mel L1   MCD (dB)   × real time (\(BLASThreads.count) BLAS thread\(BLASThreads.count == 1 ? "" : "s"), wall clock, shared machine)")
    print(String(format: "vocoder σ %-10.2f %10.4f %10.3f %10.2f", samplingSigma, v.logMelL1, v.melCepstralDistortion,
                 audioSeconds / vocoderSeconds))
    print(String(format: "griffin-lim-100      %10.4f %10.3f %10.2f", g.logMelL1, g.melCepstralDistortion,
                 audioSeconds / baselineSeconds))
    try printRealTimeFactors(vocoder, corpus: corpus, frontEnd: frontEnd, samplingSigma: samplingSigma)
    guard let out, examples > 0 else { return }
    for (comparisons, title) in [(generated, "vocoder"), (baseline, "griffin-lim-100")] {
      let rows = comparisons.prefix(examples).map {
        MelComparisonFigure.Row(name: $0.name, reference: $0.reference, generated: $0.generated)
      }
      let path = (out as NSString).appendingPathComponent("mels-\(title).png")
      try PNG.write(MelComparisonFigure.render(Array(rows), generatedTitle: title), to: URL(fileURLWithPath: path))
    }
    print("wrote        \(min(examples, corpus.count)) reference/vocoder/griffin-lim WAV triples and mels-*.png in \(out)")
  }

  /// Generation of the first utterance on 1 and 2 BLAS threads.
  private func printRealTimeFactors(_ vocoder: Vocoder, corpus: SpeechCorpus, frontEnd: MelFrontEnd,
                                    samplingSigma: Double) throws {
    let mel = try frontEnd.logMel(of: corpus.samples(of: 0)), previous = BLASThreads.count
    defer { BLASThreads.set(previous) }
    for threads in [1, 2] {
      BLASThreads.set(threads)
      let clock = ContinuousClock.now
      let audio = vocoder.generate(mel, samplingSigma: samplingSigma, seed: 0, chunkFrames: 128, contextFrames: 16)
      let seconds = (ContinuousClock.now - clock).seconds
      print(String(format: "real time    %.2f× on %d thread%@ (%@, %.2f s of audio)",
                   Double(audio.count) / Double(MelFrontEnd.sampleRate) / seconds, threads, threads == 1 ? "" : "s",
                   corpus.names[0], Double(audio.count) / Double(MelFrontEnd.sampleRate)))
    }
  }

  /// --data (a folder, or a .npy with --offsets), else the run's validation speech.
  private func speechCorpus(_ trained: TrainedModel) throws -> SpeechCorpus {
    if let data { return try DataSpec.speechCorpus(data, offsets: offsets, offsetsName: "--offsets") }
    guard let path = trained.spec.data.validationPath else {
      throw ValidationError("the run has no validation speech; pass --data DIR or --data AUDIO.npy --offsets OFFSETS.npy")
    }
    return try DataSpec.speechCorpus(path, offsets: trained.spec.data.validationOffsetsPath,
                                    offsetsName: "data.validation_offsets")
  }
}
