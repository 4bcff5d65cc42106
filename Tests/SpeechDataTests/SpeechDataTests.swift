import Audio
import Datasets
import Foundation
import Spectral
import SpeechData
import TensorCore
import XCTest

final class SpeechDataTests: XCTestCase {
  private var directory = ""

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-speech-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

  /// Three utterances of 3000, 800 and 5000 samples, sample j of utterance u = (u + 1)·j mod 30000.
  private let lengths = [3000, 800, 5000]
  private func level(_ u: Int, _ j: Int) -> Int16 { Int16(((u + 1) * j) % 30000) }

  private func npyCorpus() throws -> SpeechCorpus {
    var audio: [Int16] = [], offsets: [Int64] = [0]
    for (u, n) in lengths.enumerated() {
      audio += (0 ..< n).map { level(u, $0) }
      offsets.append(offsets.last! + Int64(n))
    }
    try NpyWriter.write(audio, shape: [audio.count], to: directory + "/a_audio.npy")
    try NpyWriter.write(offsets, shape: [offsets.count], to: directory + "/a_offsets.npy")
    return try SpeechCorpus(audio: directory + "/a_audio.npy", offsets: directory + "/a_offsets.npy")
  }

  func testNpyCorpusReadsUtterancesAsInt16Over32768() throws {
    let corpus = try npyCorpus()
    XCTAssertEqual(corpus.count, 3)
    XCTAssertEqual((0 ..< 3).map(corpus.length(of:)), lengths)
    XCTAssertEqual(corpus.samples(of: 2), (0 ..< 5000).map { Float(level(2, $0)) / 32768 })
    var tail = [Float](repeating: 9, count: 10)
    tail.withUnsafeMutableBufferPointer { corpus.copy(utterance: 1, from: 795, into: $0) }
    XCTAssertEqual(tail, (795 ..< 800).map { Float(level(1, $0)) / 32768 } + [0, 0, 0, 0, 0])
  }

  func testFolderCorpusMatchesTheNpyCorpus() throws {
    let folder = directory + "/wavs"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let npy = try npyCorpus()
    for u in 0 ..< 3 { try AudioFile.writeWAV16(npy.samples(of: u), sampleRate: 16000, to: folder + "/utt\(u).wav") }
    try Data("not audio".utf8).write(to: URL(fileURLWithPath: folder + "/README.txt"))
    let corpus = try SpeechCorpus(folder: folder)
    XCTAssertEqual(corpus.names, ["utt0.wav", "utt1.wav", "utt2.wav"])
    for u in 0 ..< 3 { XCTAssertEqual(corpus.samples(of: u), npy.samples(of: u)) }
    XCTAssertEqual(corpus.notices, [])
  }

  func testBadCorporaAreErrorsNamingTheFile() throws {
    _ = try npyCorpus()
    let audio = directory + "/a_audio.npy"
    let cases: [(offsets: [Int64], mentions: String)] = [([0, 3000, 2000], "offsets[1] = 3000"),
                                                         ([0, 9000], "at most the 8800 samples"), ([0], "(N+1,)")]
    for (k, bad) in cases.enumerated() {
      let path = directory + "/bad\(k).npy"
      try NpyWriter.write(bad.offsets, shape: [bad.offsets.count], to: path)
      XCTAssertThrowsError(try SpeechCorpus(audio: audio, offsets: path)) { error in
        let message = String(describing: error)
        XCTAssertTrue(message.contains(path) && message.contains(bad.mentions), message)
      }
    }
    try NpyWriter.write([Float](repeating: 0, count: 6), shape: [2, 3], to: directory + "/table.npy")
    XCTAssertThrowsError(try SpeechCorpus(audio: directory + "/table.npy", offsets: directory + "/a_offsets.npy")) {
      XCTAssertTrue(String(describing: $0).contains("table.npy"), String(describing: $0))
    }
    let folder = directory + "/rates"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    XCTAssertThrowsError(try SpeechCorpus(folder: folder)) { XCTAssertTrue(String(describing: $0).contains("no .wav")) }
    try AudioFile.writeWAV16([Float](repeating: 0.1, count: 100), sampleRate: 22050, to: folder + "/fast.wav")
    XCTAssertThrowsError(try SpeechCorpus(folder: folder)) { error in
      let message = String(describing: error)
      XCTAssertTrue(message.contains("fast.wav") && message.contains("22050 Hz") && message.contains("16000 Hz"), message)
    }
  }

  func testSegmentsAreKeyedByStepAndExampleAndCarryTheirMel() throws {
    let corpus = try npyCorpus()
    let segments = SpeechSegments(corpus: corpus, segmentLength: 1024)
    XCTAssertEqual(segments.exampleShape, [1, 1024])
    XCTAssertEqual(segments.conditionShape, [80, 5])
    let step3 = ExampleDraw.training(seed: 7, step: 3), step4 = ExampleDraw.training(seed: 7, step: 4)
    let all = try copy(segments, [0, 1, 2], draw: step3)
    // Two "ranks" taking alternate examples of the same batch get the same crops.
    let shard0 = try copy(segments, [0, 2], draw: step3), shard1 = try copy(segments, [1], draw: step3)
    XCTAssertEqual(shard0.x, Array(all.x[0 ..< 1024] + all.x[2048 ..< 3072]))
    XCTAssertEqual(shard1.x, Array(all.x[1024 ..< 2048]))
    XCTAssertEqual(shard0.c, Array(all.c[0 ..< 400] + all.c[800 ..< 1200]))
    for i in [0, 2] {
      let start = segments.start(of: i, draw: step3)
      XCTAssertTrue((0 ... lengths[i] - 1024).contains(start))
      let expected = Array(corpus.samples(of: i)[start ..< start + 1024])
      XCTAssertEqual(Array(all.x[i * 1024 ..< (i + 1) * 1024]), expected)
      XCTAssertEqual(Array(all.c[i * 400 ..< (i + 1) * 400]), try MelFrontEnd().logMel(of: expected).values)
    }
    // The short utterance starts at 0 and is zero-padded.
    XCTAssertEqual(segments.start(of: 1, draw: step3), 0)
    XCTAssertEqual(Array(all.x[1024 + 800 ..< 2048]), [Float](repeating: 0, count: 224))
    // Steps draw different crops; the same step the same ones.
    let starts = (0 ..< 20).map { segments.start(of: 2, draw: ExampleDraw.training(seed: 7, step: $0)) }
    XCTAssertGreaterThan(Set(starts).count, 10, "\(starts)")
    XCTAssertEqual(segments.start(of: 2, draw: step4), starts[4])
    XCTAssertEqual(try copy(segments, [0, 1, 2], draw: step3).x, all.x)
  }

  private func copy(_ source: SpeechSegments, _ indices: [Int], draw: ExampleDraw) throws -> (x: [Float], c: [Float]) {
    var x = [Float](repeating: 0, count: indices.count * 1024), c = [Float](repeating: 0, count: indices.count * 400)
    try indices.withUnsafeBufferPointer { i in
      try x.withUnsafeMutableBufferPointer { try source.copyExamples(i, draw: draw, into: $0) }
      try c.withUnsafeMutableBufferPointer { try source.copyConditions(i, draw: draw, into: $0) }
    }
    return (x, c)
  }
}
