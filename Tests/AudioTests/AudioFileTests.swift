import Audio
import CSndfile
import Foundation
import Support
import XCTest

final class AudioFileTests: XCTestCase {
  private var directory = ""

  override func setUpWithError() throws { directory = try temporaryDirectory() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

  private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  func testReads16BitPCMAsIntegerOver32768() throws {
    let levels: [Double] = [0, 1, -1, 32767, -32768, 12345, -23450]
    let path = try file("a.wav", WAVBytes.make(levels.map { [$0] }, sampleRate: 16000, encoding: .pcm16))
    let clip = try AudioFile.read(path, sampleRate: 16000)
    XCTAssertEqual(clip.samples, levels.map { Float($0 / 32768) })
    XCTAssertEqual(clip.sampleRate, 16000)
    XCTAssertNil(clip.mixdownNotice)
  }

  func testReads24BitPCMAndFloat() throws {
    let levels24: [Double] = [0, 8_388_607, -8_388_608, 4_000_001, -77]
    let pcm24 = try AudioFile.read(try file("b.wav", WAVBytes.make(levels24.map { [$0] }, sampleRate: 16000, encoding: .pcm24)))
    XCTAssertEqual(pcm24.samples, levels24.map { Float($0 / 8_388_608) })
    // Float files are read as stored, values beyond ±1 included.
    let floats: [Double] = [0.25, -0.5, 1.5, -0.000123]
    let float = try AudioFile.read(try file("c.wav", WAVBytes.make(floats.map { [$0] }, sampleRate: 22050, encoding: .float32)))
    XCTAssertEqual(float.samples, floats.map { Float($0) })
    XCTAssertEqual(float.sampleRate, 22050)
  }

  func testStereoIsMixedDownWithANotice() throws {
    let frames: [[Double]] = [[1000, 3000], [-2000, 2000], [32767, 32767]]
    let clip = try AudioFile.read(try file("s.wav", WAVBytes.make(frames, sampleRate: 16000, encoding: .pcm16)))
    XCTAssertEqual(clip.samples, [2000, 0, 32767].map { Float($0 / 32768.0) })
    XCTAssertEqual(clip.sourceChannels, 2)
    XCTAssertEqual(clip.mixdownNotice, "2 channels mixed down to mono (the mean of the channels)")
  }

  func testReadsFLACLosslessly() throws {
    let levels: [Int16] = (0..<4000).map { Int16(truncatingIfNeeded: ($0 * 7919) % 60000 - 30000) }
    let path = directory + "/f.flac"
    var info = SF_INFO()
    info.samplerate = 16000
    info.channels = 1
    info.format = Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
    let handle = try XCTUnwrap(sf_open(path, Int32(SFM_WRITE), &info), String(cString: sf_strerror(nil)))
    XCTAssertEqual(levels.withUnsafeBufferPointer { sf_writef_short(handle, $0.baseAddress, Int64($0.count)) }, 4000)
    sf_close(handle)
    XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4), Data("RIFF".utf8))
    let clip = try AudioFile.read(path, sampleRate: 16000)
    XCTAssertEqual(clip.samples, levels.map { Float($0) / 32768 })
  }

  func testWAV16RoundTripIsExactAndTheHeaderIsStandard() throws {
    let samples: [Float] = (0..<1000).map { Float(($0 * 37) % 65536 - 32768) / 32768 }
    let path = directory + "/out.wav"
    XCTAssertEqual(try AudioFile.writeWAV16(samples, sampleRate: 16000, to: path), 0)
    XCTAssertEqual(try AudioFile.read(path, sampleRate: 16000).samples, samples)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    XCTAssertEqual(Array(bytes[0..<4]), Array("RIFF".utf8))
    XCTAssertEqual(Array(bytes[8..<16]), Array("WAVEfmt ".utf8))
    XCTAssertEqual(u16(20), 1, "PCM")
    XCTAssertEqual(u16(22), 1, "mono")
    XCTAssertEqual(u32(24), 16000)
    XCTAssertEqual(u16(34), 16, "bits per sample")
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp"))
  }

  func testWritingClipsAndCountsOutOfRangeSamples() throws {
    let path = directory + "/clip.wav"
    XCTAssertEqual(try AudioFile.writeWAV16([0.5, 1.0, -1.0, 2.0, -3.0, .nan], sampleRate: 8000, to: path), 4)
    XCTAssertEqual(try AudioFile.read(path).samples, [0.5, 32767.0 / 32768, -1, 32767.0 / 32768, -1, 0])
  }

  func testOtherSampleRateNamesBothRatesAndTheConversion() throws {
    let path = try file("r.wav", WAVBytes.make([[0], [1]], sampleRate: 44100, encoding: .pcm16))
    XCTAssertThrowsError(try AudioFile.read(path, sampleRate: 16000)) { error in
      let message = String(describing: error)
      for part in [path, "44100 Hz", "16000 Hz", "sox \(path) -r 16000"] { XCTAssertTrue(message.contains(part), message) }
    }
  }

  func testBadFilesAreErrorsNamingTheFile() throws {
    let junk = try file("junk.wav", Array("this is not audio at all, only text".utf8))
    let empty = try file("empty.wav", [])
    let noData = try file("nodata.wav", WAVBytes.make([], sampleRate: 16000, encoding: .pcm16))
    let missing = directory + "/missing.wav"
    for (path, reason) in [(junk, "cannot be read as audio"), (empty, "cannot be read as audio"),
                           (noData, "no audio samples"), (missing, "No such file")] {
      XCTAssertThrowsError(try AudioFile.read(path), path) { error in
        let message = String(describing: error)
        XCTAssertTrue(message.contains(path) && message.contains(reason), message)
      }
    }
    XCTAssertThrowsError(try AudioFile.writeWAV16([0], sampleRate: 16000, to: directory + "/no/such/dir/x.wav")) {
      XCTAssertTrue(String(describing: $0).contains("no/such/dir/x.wav"), String(describing: $0))
    }
  }
}
