import Audio
import Datasets
import Foundation
import Spectral
import Support

/// Utterances of 16 kHz mono speech, full scale ±1, read by index.
///
/// Two layouts: a `.npy` pair (`audio` int16 or float32 (T,), all utterances concatenated, and
/// `offsets` int64 (N+1,), utterance i = audio[offsets[i] : offsets[i+1]], int16 read as k/32768),
/// memory-mapped so a rank touches only the samples it crops; or a folder of WAV/FLAC files, one
/// utterance each in file-name order, read into memory.
public struct SpeechCorpus: Sendable {
  private enum Storage: Sendable {
    case mapped(NpyArray)
    case clips([[Float]])
  }

  private let storage: Storage
  /// [N + 1] start of each utterance in the concatenated samples (for clips: running sums).
  private let offsets: [Int]
  /// One name per utterance for messages and output files (file names, or `audio.npy[i]`).
  public let names: [String]
  /// What reading changed (stereo mixed down), one line per affected file.
  public let notices: [String]

  /// The `.npy` layout.
  public init(audio: String, offsets offsetsPath: String) throws {
    let array = try NpyArray(contentsOf: audio)
    guard array.shape.count == 1, array.elementType == .int16 || array.elementType == .float32 else {
      throw DataFileError(path: audio, "has shape \(array.shape) of \(array.elementType) but speech audio is a 1-D "
        + "int16 (or float32) array of all utterances concatenated; save np.concatenate(clips).astype(np.int16)")
    }
    // Throws here, not in `copy`, when the data is not aligned for its type.
    if array.elementType == .int16 { _ = try array.withUnsafeBufferPointer(of: Int16.self) { $0.count } }
    else { _ = try array.withUnsafeBufferPointer(of: Float.self) { $0.count } }
    let table = try NpyArray(contentsOf: offsetsPath)
    guard table.shape.count == 1, table.shape[0] >= 2, let values = try? table.integerRows(0 ..< table.shape[0]) else {
      throw DataFileError(path: offsetsPath, "has shape \(table.shape) of \(table.elementType) but the offsets are "
        + "a 1-D integer array (N+1,): utterance i = audio[offsets[i]:offsets[i+1]], at least one utterance")
    }
    for i in 0 ..< values.count - 1 where !(values[i] >= 0 && values[i] < values[i + 1] && values[i + 1] <= array.count) {
      throw DataFileError(path: offsetsPath, "offsets[\(i)] = \(values[i]), offsets[\(i + 1)] = \(values[i + 1]): "
        + "offsets must rise strictly from ≥ 0 to at most the \(array.count) samples of \(audio)")
    }
    storage = .mapped(array)
    offsets = values
    let base = (audio as NSString).lastPathComponent
    names = (0 ..< values.count - 1).map { "\(base)[\($0)]" }
    notices = []
  }

  /// The folder layout: every `.wav` and `.flac` file in `folder`, sorted by name.
  public init(folder: String) throws {
    let entries: [String]
    do {
      entries = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw DataFileError(path: folder, "cannot be listed as a folder of audio files: \(error.localizedDescription)")
    }
    let files = entries.filter { ["wav", "flac"].contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
    guard !files.isEmpty else {
      throw DataFileError(path: folder, "holds no .wav or .flac files; put one 16 kHz utterance per file in it")
    }
    var clips: [[Float]] = [], notices: [String] = [], offsets = [0]
    for name in files {
      let path = (folder as NSString).appendingPathComponent(name)
      let clip = try AudioFile.read(path, sampleRate: MelFrontEnd.sampleRate)
      if let notice = clip.mixdownNotice { notices.append("\(path): \(notice)") }
      clips.append(clip.samples)
      offsets.append(offsets[offsets.count - 1] + clip.samples.count)
    }
    storage = .clips(clips)
    self.offsets = offsets
    names = files
    self.notices = notices
  }

  public var count: Int { offsets.count - 1 }

  /// Samples of utterance `i`.
  public func length(of i: Int) -> Int { offsets[i + 1] - offsets[i] }

  /// Utterance `i` in full.
  public func samples(of i: Int) -> [Float] {
    var out = [Float](repeating: 0, count: length(of: i))
    out.withUnsafeMutableBufferPointer { copy(utterance: i, from: 0, into: $0) }
    return out
  }

  /// Copies `out.count` samples of utterance `i` from `start`, zero past its end.
  public func copy(utterance i: Int, from start: Int, into out: UnsafeMutableBufferPointer<Float>) {
    precondition(i >= 0 && i < count && start >= 0, "utterance \(i) of \(count), start \(start)")
    let available = max(0, min(out.count, length(of: i) - start))
    switch storage {
    case .clips(let clips):
      for j in 0 ..< available { out[j] = clips[i][start + j] }
    case .mapped(let array):
      let first = offsets[i] + start
      // Type and alignment were checked in init, so these typed views cannot fail.
      if array.elementType == .int16 {
        try! array.withUnsafeBufferPointer(of: Int16.self) { pcm in
          for j in 0 ..< available { out[j] = Float(pcm[first + j]) / 32768 }
        }
      } else {
        try! array.withUnsafeBufferPointer(of: Float.self) { x in
          for j in 0 ..< available { out[j] = x[first + j] }
        }
      }
    }
    for j in available ..< out.count { out[j] = 0 }
  }
}
