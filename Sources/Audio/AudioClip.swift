/// Mono audio as the vocoder sees it: samples at full scale ±1 (16-bit PCM `k` reads as
/// `k / 32768`) at one sample rate.
public struct AudioClip: Sendable, Equatable {
  /// [frames] mono samples.
  public var samples: [Float]
  /// Samples per second.
  public let sampleRate: Int
  /// Channels in the file it came from: 1, or the number that were averaged into `samples`.
  public let sourceChannels: Int

  public init(samples: [Float], sampleRate: Int, sourceChannels: Int = 1) {
    precondition(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
    precondition(sourceChannels >= 1, "a clip comes from at least one channel, got \(sourceChannels)")
    self.samples = samples
    self.sampleRate = sampleRate
    self.sourceChannels = sourceChannels
  }

  /// Seconds of audio.
  public var duration: Double { Double(samples.count) / Double(sampleRate) }

  /// What a command prints when the file was not mono: the mixdown changed the signal.
  public var mixdownNotice: String? {
    sourceChannels == 1 ? nil : "\(sourceChannels) channels mixed down to mono (the mean of the channels)"
  }
}
