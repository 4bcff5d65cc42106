import CSndfile
import Support

/// Audio files through libsndfile: reads WAV (16/24/32-bit PCM, float), FLAC and whatever else
/// libsndfile decodes; writes 16-bit PCM WAV, atomically.
///
/// libsndfile scales integer PCM to float by 1/2^(bits−1), so 16-bit `k` reads as `k / 32768`:
/// the convention of the vocoder metrics (int16 / 32768, no normalization). Float files are
/// read as stored.
public enum AudioFile {
  /// Reads `path` as mono audio, averaging the channels of a multichannel file (the clip's
  /// `mixdownNotice` says so). With `sampleRate`, a file at any other rate is an error naming
  /// both rates and the conversion command.
  public static func read(_ path: String, sampleRate required: Int? = nil) throws -> AudioClip {
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else {
      let reason = String(cString: sf_strerror(nil))
      throw DataFileError(path: path, "cannot be read as audio: \(reason) (Laminar reads WAV and FLAC files; "
        + "convert others with `sox IN OUT.wav`)")
    }
    defer { sf_close(file) }
    let channels = Int(info.channels), rate = Int(info.samplerate)
    if let required, rate != required {
      throw DataFileError(path: path, "is sampled at \(rate) Hz but the model works at \(required) Hz; resample it "
        + "first, e.g. `sox \(path) -r \(required) out.wav` or `ffmpeg -i \(path) -ar \(required) out.wav`")
    }
    guard info.frames > 0 else { throw DataFileError(path: path, "holds no audio samples") }
    let frames = Int(info.frames)
    guard channels > 0, frames <= Int.max / channels else {
      throw DataFileError(path: path, "claims \(info.frames) frames of \(channels) channels; the header is damaged")
    }
    var interleaved = [Float](repeating: 0, count: frames * channels)
    let read = interleaved.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, info.frames) }
    guard read == info.frames else {
      let reason = String(cString: sf_strerror(file))
      throw DataFileError(path: path, "truncated or damaged: decoded \(read) of the \(frames) frames its header "
        + "promises (\(reason)); re-export the file")
    }
    return AudioClip(samples: mixedDown(interleaved, channels: channels), sampleRate: rate, sourceChannels: channels)
  }

  /// Writes `samples` (full scale ±1) as a mono 16-bit PCM WAV file (`pcm16`'s rounding, so a
  /// clip read from a 16-bit file is written back bit for bit). Returns how many samples lay
  /// outside the 16-bit range and were clipped.
  @discardableResult
  public static func writeWAV16(_ samples: [Float], sampleRate: Int, to path: String) throws -> Int {
    precondition(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
    let (pcm, clipped) = pcm16(samples)
    let bytes = try MemoryAudioStream.encodeWAV16(pcm, sampleRate: sampleRate, path: path)
    try AtomicFile.write(bytes, to: path)
    return clipped
  }

  /// 16-bit PCM of full-scale samples: `x·32768` rounded to the nearest integer and clipped to
  /// −32768 … 32767 (NaN → 0), with the number of samples clipped. What a written WAV file holds,
  /// so metrics of generated audio are computed on these values / 32768.
  public static func pcm16(_ samples: [Float]) -> (pcm: [Int16], clipped: Int) {
    var clipped = 0
    let pcm = samples.map { x -> Int16 in
      let scaled = (Double(x) * 32768).rounded()
      guard scaled.isFinite, scaled >= -32768, scaled <= 32767 else {
        clipped += 1
        return scaled.isNaN ? 0 : (scaled < 0 ? .min : .max)
      }
      return Int16(scaled)
    }
    return (pcm, clipped)
  }

  /// [frames] the mean of each frame's channels.
  private static func mixedDown(_ interleaved: [Float], channels: Int) -> [Float] {
    guard channels > 1 else { return interleaved }
    let frames = interleaved.count / channels
    var mono = [Float](repeating: 0, count: frames)
    for t in 0..<frames {
      var sum = 0.0
      for c in 0..<channels { sum += Double(interleaved[t * channels + c]) }
      mono[t] = Float(sum / Double(channels))
    }
    return mono
  }
}
