import Collectives
import XCTest

final class LocalCommunicatorTests: XCTestCase {
  private let comm = LocalCommunicator()

  func testSizeOne() {
    XCTAssertEqual(comm.rank, 0)
    XCTAssertEqual(comm.size, 1)
  }

  func testAllReduceIsIdentityForEveryTypeAndOp() throws {
    for op in ReductionOp.allCases {
      try assertAllReduceIdentity([1.5, -2, 3e30] as [Float], op)
      try assertAllReduceIdentity([1.5, -2, 3e300] as [Double], op)
      try assertAllReduceIdentity([Int32.min, 0, Int32.max], op)
      try assertAllReduceIdentity([Int64.min, 7, Int64.max], op)
      try assertAllReduceIdentity([0, 1 << 63 + 5, UInt64.max], op)
    }
  }

  func testAllReducedValue() throws {
    XCTAssertEqual(try comm.allReduced(Int64(-42), .sum), -42)
    XCTAssertEqual(try comm.allReduced(2.5, .max), 2.5)
  }

  func testBroadcastFromRootZeroKeepsData() throws {
    var values: [UInt64] = [3, 1 << 60, 9]
    try comm.broadcast(&values, root: 0)
    XCTAssertEqual(values, [3, 1 << 60, 9])
    XCTAssertEqual(try comm.broadcasted(Float(0.25), root: 0), 0.25)
    var blob: [UInt8] = Array("laminar".utf8)
    try comm.broadcast(bytes: &blob, root: 0)
    XCTAssertEqual(blob, Array("laminar".utf8))
  }

  func testBroadcastFromAnotherRootThrowsNamingTheRoot() {
    var values: [Double] = [1, 2]
    XCTAssertThrowsError(try comm.broadcast(&values, root: 1)) { error in
      let message = (error as? CollectiveError)?.message ?? ""
      XCTAssertTrue(message.contains("root 1"), "message: \(message)")
      XCTAssertTrue(message.contains("use root 0"), "message: \(message)")
    }
    var blob: [UInt8] = [1]
    XCTAssertThrowsError(try comm.broadcast(bytes: &blob, root: -1))
    XCTAssertEqual(values, [1, 2])
  }

  func testAllGatherReturnsOwnValue() throws {
    XCTAssertEqual(try comm.allGather(UInt64.max), [UInt64.max])
    XCTAssertEqual(try comm.allGather(Int32(-3)), [-3])
    XCTAssertEqual(try comm.allGather(bytes: [4, 5, 6]), [[4, 5, 6]])
    XCTAssertEqual(try comm.allGather(bytes: []), [[]])
  }

  func testWorksThroughTheExistential() throws {
    let any: any Communicator = comm
    var values: [Int32] = [4, 5]
    try any.allReduce(&values, .sum)
    XCTAssertEqual(values, [4, 5])
    XCTAssertEqual(try any.allGather(Int64(8)), [8])
  }

  private func assertAllReduceIdentity<T: CollectiveScalar>(
    _ values: [T], _ op: ReductionOp, line: UInt = #line
  ) throws {
    var reduced = values
    try comm.allReduce(&reduced, op)
    XCTAssertEqual(reduced, values, "\(T.self) \(op)", line: line)
    try reduced.withUnsafeMutableBufferPointer { try comm.allReduce($0, op) }
    XCTAssertEqual(reduced, values, "\(T.self) \(op) buffer", line: line)
  }
}
