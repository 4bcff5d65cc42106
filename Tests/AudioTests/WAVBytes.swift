import Foundation

/// WAV files written byte by byte from the RIFF layout, independent of libsndfile, so the reader
/// is checked against the format rather than against itself.
enum WAVBytes {
  enum Encoding { case pcm16, pcm24, float32 }

  /// A canonical 44-byte-header WAV file of interleaved `frames` ([frames][channels]).
  static func make(_ frames: [[Double]], sampleRate: Int, encoding: Encoding) -> [UInt8] {
    let channels = frames.first?.count ?? 1
    let bytesPerSample = encoding == .pcm16 ? 2 : (encoding == .pcm24 ? 3 : 4)
    var data: [UInt8] = []
    for frame in frames {
      for x in frame {
        switch encoding {
        case .pcm16: data += le(UInt32(bitPattern: Int32(Int16(x))), 2)
        case .pcm24: data += le(UInt32(bitPattern: Int32(x)), 3)
        case .float32: data += le(Float(x).bitPattern, 4)
        }
      }
    }
    var bytes = Array("RIFF".utf8) + le(UInt32(36 + data.count), 4) + Array("WAVEfmt ".utf8)
    bytes += le(16, 4) + le(encoding == .float32 ? 3 : 1, 2) + le(UInt32(channels), 2)
    bytes += le(UInt32(sampleRate), 4) + le(UInt32(sampleRate * channels * bytesPerSample), 4)
    bytes += le(UInt32(channels * bytesPerSample), 2) + le(UInt32(bytesPerSample * 8), 2)
    bytes += Array("data".utf8) + le(UInt32(data.count), 4) + data
    return bytes
  }

  private static func le(_ value: UInt32, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}

/// A fresh directory under the system temporary directory.
func temporaryDirectory() throws -> String {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-audio-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}
