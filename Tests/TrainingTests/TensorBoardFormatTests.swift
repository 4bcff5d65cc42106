import Support
@testable import Training
import XCTest

/// The event-file format byte by byte: CRC-32C, TFRecord framing and the protobuf messages,
/// against known answers (RFC 3720's CRC vectors; the bytes Python's tensorboard package writes).
final class TensorBoardFormatTests: XCTestCase {
  private func hex(_ text: String) -> [UInt8] {
    stride(from: 0, to: text.count, by: 2).map { i in
      let start = text.index(text.startIndex, offsetBy: i)
      return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
    }
  }

  func testCRC32CMatchesKnownVectors() {
    XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)).value, 0xE306_9283)
    XCTAssertEqual(CRC32C.checksum([UInt8]()).value, 0)
    // RFC 3720 §B.4.
    XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)).value, 0x8A91_36AA)
    XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)).value, 0x62A8_AB43)
    XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }).value, 0x46DD_794E)
    var incremental = CRC32C()
    incremental.update(Array("1234".utf8))
    incremental.update(Array("56789".utf8))
    XCTAssertEqual(incremental.value, 0xE306_9283, "feeding in pieces gives the same checksum")
    let crc: UInt32 = 0xE306_9283
    XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)).masked, ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
  }

  func testFrameMatchesTensorBoardsRecordWriter() {
    // tensorboard.summary.writer.record_writer.RecordWriter(f).write(b"hello")
    XCTAssertEqual(TFRecord.frame(Array("hello".utf8)), hex("0500000000000000eab2043e68656c6c6fbb1f1c19"))
  }

  func testRecordsStopAtATornOrCorruptRecord() {
    let first = TFRecord.frame(Array("first".utf8)), second = TFRecord.frame(Array("second event".utf8))
    let whole = first + second
    XCTAssertEqual(TFRecord.records(in: whole).map(\.record), [0..<first.count, first.count..<whole.count])
    XCTAssertEqual(TFRecord.records(in: whole).map { Array(whole[$0.data]) }, [Array("first".utf8), Array("second event".utf8)])
    XCTAssertEqual(TFRecord.records(in: Array(whole.dropLast(3))).count, 1, "a torn last record is dropped")
    var corrupt = whole
    corrupt[first.count + 14] ^= 1
    XCTAssertEqual(TFRecord.records(in: corrupt).count, 1, "a record whose data fails its CRC is dropped")
    var badLength = whole
    badLength[first.count] ^= 1
    XCTAssertEqual(TFRecord.records(in: badLength).count, 1, "a record whose length fails its CRC is dropped")
  }

  func testEventsEncodeAsProtobufDoes() {
    // event_pb2.Event(wall_time=1.5, step=3, summary=Summary(value=[Value(tag="loss", simple_value=0.25)]))
    let scalar = TensorBoardEvent(wallTime: 1.5, step: 3, content: .summary([.scalar("loss", 0.25)]))
    XCTAssertEqual(scalar.encoded, hex("09000000000000f83f10032a0d0a0b0a046c6f7373150000803e"))
    // event_pb2.Event(wall_time=1.5, file_version="brain.Event:2"): step 0 is omitted.
    let header = TensorBoardEvent(wallTime: 1.5, step: 0, content: .fileVersion(TensorBoardEvent.fileVersion))
    XCTAssertEqual(header.encoded, hex("09000000000000f83f1a0d627261696e2e4576656e743a32"))
    XCTAssertEqual(TensorBoardEvent.step(ofEncoded: scalar.encoded[...]), 3)
    XCTAssertEqual(TensorBoardEvent.step(ofEncoded: header.encoded[...]), 0)
    XCTAssertNil(TensorBoardEvent.step(ofEncoded: scalar.encoded.dropLast(2)), "a cut message is not an event")
    let big = TensorBoardEvent(wallTime: 1, step: 300_000, content: .summary([]))
    XCTAssertEqual(TensorBoardEvent.step(ofEncoded: big.encoded[...]), 300_000, "multi-byte varints read back")
  }

  func testImagesCarryTheirPNGHeader() throws {
    let png = TensorBoardReadBackTests.dotPNG
    let image = try SummaryImage(png: png, path: "dot.png")
    XCTAssertEqual([image.width, image.height, image.colorspace], [1, 1, 4])
    // Summary.Image(height=1, width=1, colorspace=4, encoded_image_string=png): 70 = 0x46 bytes.
    XCTAssertEqual(image.encoded.bytes, hex("0801100118042246") + png)
    XCTAssertThrowsError(try SummaryImage(png: Array("not a png, just text here, long enough".utf8), path: "x.png")) {
      XCTAssertTrue("\($0)".contains("x.png: not a PNG file"), "\($0)")
    }
  }

  func testAudioCarriesItsWAVHeader() throws {
    let wav = TensorBoardReadBackTests.clickWAV
    let audio = try SummaryAudio(wav: wav, path: "click.wav")
    XCTAssertEqual([audio.sampleRate, audio.channels, audio.frames], [16000, 1, 4])
    // Summary.Audio(sample_rate=16000 (0x467a0000 little-endian), num_channels=1, length_frames=4,
    // encoded_audio_string=wav (52 = 0x34 bytes), content_type="audio/wav").
    XCTAssertEqual(audio.encoded.bytes, hex("0d00007a46100118042234") + wav + hex("2a09") + Array("audio/wav".utf8))
    XCTAssertThrowsError(try SummaryAudio(wav: Array("RIFF....WAVE but no chunks".utf8), path: "x.wav")) {
      XCTAssertTrue("\($0)".contains("x.wav: not a WAV file"), "\($0)")
    }
  }

  func testRecordsBecomeScalarsTaggedByKey() {
    var record = MetricsRecord(step: 5, epoch: 1)
    record.set("loss", .nan)
    record.set("lr", .infinity)
    record.set("log_abs_det_per_dim", names: ["0.ActNorm", "1.Coupling"], values: [0.5, -1])
    record.set("note", .string("text has no chart"))
    let values = record.scalarSummaries
    XCTAssertEqual(values.map(\.tag), ["epoch", "loss", "lr", "log_abs_det_per_dim/0.ActNorm", "log_abs_det_per_dim/1.Coupling"])
    guard case .scalar(let loss) = values[1].content, case .scalar(let lr) = values[2].content else {
      return XCTFail("scalars expected")
    }
    XCTAssertTrue(loss.isNaN)
    XCTAssertEqual(lr, .infinity)
    XCTAssertEqual(values[4].content, .scalar(-1))
    XCTAssertEqual(record.step, 5)
  }
}
