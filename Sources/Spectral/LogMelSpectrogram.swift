/// A log-mel spectrogram: what the vocoder is conditioned on and what its metrics compare.
public struct LogMelSpectrogram: Sendable, Equatable {
  public let bands: Int
  public let frames: Int
  /// [bands, frames] natural log of the mel magnitudes (librosa's layout: `mel[b, t]`).
  public var values: [Float]

  public init(bands: Int, frames: Int, values: [Float]) {
    precondition(values.count == bands * frames, "\(bands)×\(frames) mel needs \(bands * frames) values, got \(values.count)")
    self.bands = bands
    self.frames = frames
    self.values = values
  }

  /// The first `frames` frames.
  public func prefix(frames count: Int) -> LogMelSpectrogram {
    precondition(count <= frames, "cannot take \(count) of \(frames) frames")
    var out = [Float](repeating: 0, count: bands * count)
    for b in 0 ..< bands {
      for t in 0 ..< count { out[b * count + t] = values[b * frames + t] }
    }
    return LogMelSpectrogram(bands: bands, frames: count, values: out)
  }
}
