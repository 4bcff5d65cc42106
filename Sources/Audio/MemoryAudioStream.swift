import CSndfile
import Support

/// A growable byte buffer that libsndfile writes into through its virtual I/O callbacks, so the
/// encoded file can go to disk through `AtomicFile` (temporary file, fsync, rename) like every
/// other file Laminar writes.
final class MemoryAudioStream {
  private(set) var bytes: [UInt8] = []
  private var position = 0

  /// The bytes of a mono 16-bit PCM WAV file holding `pcm`; `path` names the file in errors.
  static func encodeWAV16(_ pcm: [Int16], sampleRate: Int, path: String) throws -> [UInt8] {
    let stream = MemoryAudioStream()
    var info = SF_INFO()
    info.samplerate = Int32(sampleRate)
    info.channels = 1
    info.format = Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
    var io = SF_VIRTUAL_IO(get_filelen: { streamOf($0).length }, seek: { streamOf($2).seek($0, whence: $1) },
                           read: { streamOf($2).read(into: $0, count: $1) },
                           write: { streamOf($2).write($0, count: $1) }, tell: { streamOf($0).tell })
    let context = Unmanaged.passUnretained(stream).toOpaque()
    let written: Int64 = try withExtendedLifetime(stream) {
      guard let file = sf_open_virtual(&io, Int32(SFM_WRITE), &info, context) else {
        throw DataFileError(path: path, "libsndfile cannot encode 16-bit WAV at \(sampleRate) Hz: "
          + String(cString: sf_strerror(nil)))
      }
      let count = pcm.withUnsafeBufferPointer { sf_writef_short(file, $0.baseAddress, Int64($0.count)) }
      sf_close(file)
      return count
    }
    guard written == Int64(pcm.count) else {
      throw DataFileError(path: path, "libsndfile wrote \(written) of \(pcm.count) samples")
    }
    return stream.bytes
  }

  private var length: Int64 { Int64(bytes.count) }
  private var tell: Int64 { Int64(position) }

  private func seek(_ offset: Int64, whence: Int32) -> Int64 {
    let base: Int
    switch whence {
    case SEEK_CUR: base = position
    case SEEK_END: base = bytes.count
    default: base = 0
    }
    position = max(0, base + Int(offset))
    return Int64(position)
  }

  private func read(into destination: UnsafeMutableRawPointer?, count: Int64) -> Int64 {
    let n = max(0, min(Int(count), bytes.count - position))
    if n > 0, let destination {
      bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
    }
    position += n
    return Int64(n)
  }

  private func write(_ source: UnsafeRawPointer?, count: Int64) -> Int64 {
    guard let source, count > 0 else { return 0 }
    let n = Int(count)
    if bytes.count < position + n { bytes += [UInt8](repeating: 0, count: position + n - bytes.count) }
    bytes.withUnsafeMutableBytes { ($0.baseAddress! + position).copyMemory(from: source, byteCount: n) }
    position += n
    return count
  }
}

/// The stream behind a callback's `user_data`.
private func streamOf(_ context: UnsafeMutableRawPointer?) -> MemoryAudioStream {
  Unmanaged<MemoryAudioStream>.fromOpaque(context!).takeUnretainedValue()
}
