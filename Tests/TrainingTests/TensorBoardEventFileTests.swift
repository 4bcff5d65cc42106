import Foundation
@testable import Training
import XCTest

/// Event files on disk: what the writer appends, and how a resume cuts them back.
final class TensorBoardEventFileTests: XCTestCase {
  /// The steps of the events in `path`, in file order.
  private func steps(in path: String) throws -> [Int?] {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    return TFRecord.records(in: bytes).map { TensorBoardEvent.step(ofEncoded: bytes[$0.data]) }
  }

  private func appendLosses(_ writer: TensorBoardWriter, steps: [Int]) throws {
    for step in steps {
      var record = MetricsRecord(step: step, epoch: 0)
      record.set("loss", Double(step))
      try writer.append(record)
    }
  }

  func testTruncationKeepsEventsUpToTheStepAndAReopenedFileContinues() throws {
    let directory = try ScratchDirectory()
    let path = try {
      let writer = try TensorBoardWriter(directory: directory.path, startTime: 1_000)
      try appendLosses(writer, steps: [2, 4, 6])
      return writer.path
    }()
    XCTAssertTrue(path.hasPrefix(directory.path + "/events.out.tfevents.0000001000."), path)
    // A record torn by a crash.
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(TFRecord.frame([1, 2, 3]).dropLast(2)))
    handle.closeFile()
    XCTAssertEqual(try steps(in: path), [0, 2, 4, 6], "the header is step 0; the torn record does not frame")

    try EventFiles.truncate(inDirectory: directory.path, afterStep: 4)
    XCTAssertEqual(try steps(in: path), [0, 2, 4])
    // The same start second (a quick restart) reopens the file: no second header.
    try appendLosses(try TensorBoardWriter(directory: directory.path, startTime: 1_000), steps: [6])
    XCTAssertEqual(try steps(in: path), [0, 2, 4, 6])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).count, 1)
  }

  func testTruncationToStepZeroRemovesFilesLeftWithTheirHeaderAlone() throws {
    let directory = try ScratchDirectory()
    try appendLosses(try TensorBoardWriter(directory: directory.path, startTime: 1_000), steps: [2])
    _ = try TensorBoardWriter(directory: directory.path, startTime: 2_000)
    try EventFiles.truncate(inDirectory: directory.path, afterStep: 0)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
  }
}
