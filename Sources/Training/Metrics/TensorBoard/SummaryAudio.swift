import Support

/// A `Summary.Audio`: a WAV file's bytes and the rate, channels and length read from its header.
///
/// ```
/// message Audio { float sample_rate = 1; int64 num_channels = 2; int64 length_frames = 3;
///                 bytes encoded_audio_string = 4; string content_type = 5; }
/// ```
/// Reference: tensorflow/core/framework/summary.proto.
struct SummaryAudio: Equatable, Sendable {
  var sampleRate: Int
  var channels: Int
  var frames: Int
  /// The WAV file, unchanged.
  var wav: [UInt8]

  /// Reads the `fmt ` and `data` chunks of a RIFF/WAVE file; `path` names the file in the error.
  init(wav: [UInt8], path: String) throws(DataFileError) {
    func littleEndian(_ at: Int, _ count: Int) -> Int {
      (0..<count).reduce(0) { $0 | Int(wav[at + $1]) << (8 * $1) }
    }
    func tag(_ at: Int) -> String { String(decoding: wav[at..<at + 4], as: UTF8.self) }
    let notWAV = DataFileError(path: path, "not a WAV file (no RIFF/WAVE header with fmt and data chunks); it cannot go into TensorBoard")
    guard wav.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw notWAV }
    var (format, data): (Int?, Int?) = (nil, nil)
    var at = 12
    while at + 8 <= wav.count, format == nil || data == nil {
      let size = littleEndian(at + 4, 4)
      if tag(at) == "fmt " && at + 24 <= wav.count { format = at + 8 }
      if tag(at) == "data" { data = size }
      at += 8 + size + size % 2  // chunks are padded to an even size
    }
    guard let format, let data else { throw notWAV }
    channels = littleEndian(format + 2, 2)
    sampleRate = littleEndian(format + 4, 4)
    let bytesPerFrame = channels * littleEndian(format + 14, 2) / 8
    guard channels > 0, sampleRate > 0, bytesPerFrame > 0 else { throw notWAV }
    frames = data / bytesPerFrame
    self.wav = wav
  }

  var encoded: ProtobufWriter {
    var message = ProtobufWriter()
    message.float(1, Float(sampleRate))
    message.varint(2, channels)
    message.varint(3, frames)
    message.bytes(4, wav)
    message.string(5, "audio/wav")
    return message
  }
}
