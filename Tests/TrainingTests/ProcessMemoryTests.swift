import Support
import XCTest

final class ProcessMemoryTests: XCTestCase {
  func testKilobyteFieldsOfProcTexts() {
    let status = "Name:\tlaminar\nVmPeak:\t  912344 kB\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n"
    XCTAssertEqual(ProcessMemory.kilobyteField("VmHWM", in: status), 20480 * 1024)
    XCTAssertEqual(ProcessMemory.kilobyteField("MemTotal", in: "MemTotal:       24576000 kB\nMemFree: 1 kB\n"),
                   24576000 * 1024)
    XCTAssertNil(ProcessMemory.kilobyteField("VmHWM", in: "VmHWMx:\t1 kB\n"))
    XCTAssertNil(ProcessMemory.kilobyteField("VmSwap", in: status))
  }

  func testThePeakCoversWhatThisProcessTouched() throws {
    let bytes = 64 << 20
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
    defer { block.deallocate() }
    block.initializeMemory(as: UInt8.self, repeating: 1)
    let peak = try XCTUnwrap(ProcessMemory.peakResidentBytes(), "no VmHWM in /proc/self/status")
    XCTAssertGreaterThanOrEqual(peak, bytes)
  }
}
