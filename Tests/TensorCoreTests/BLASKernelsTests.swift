import TensorCore
import XCTest

final class BLASKernelsTests: XCTestCase {
  func testOnlyTheGenericFallbackIsReplaced() {
    let avx512: Set = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]
    let avx2: Set = ["sse3", "avx", "avx2", "fma"]
    XCTAssertEqual(BLASKernels.nativeCoreType(running: "Prescott", cpuFlags: avx512), "SkylakeX")
    XCTAssertEqual(BLASKernels.nativeCoreType(running: "Prescott", cpuFlags: avx2), "Haswell")
    // AVX-512F alone (Knights Landing) lacks the BW/VL/DQ the SkylakeX kernels use.
    XCTAssertEqual(BLASKernels.nativeCoreType(running: "Prescott", cpuFlags: avx2.union(["avx512f"])), "Haswell")
    XCTAssertNil(BLASKernels.nativeCoreType(running: "Prescott", cpuFlags: ["sse3", "avx"]))
    // A kernel set OpenBLAS chose for a CPU it knows stands.
    for known in ["SkylakeX", "Haswell", "Zen", "Cooperlake", "Sandybridge"] {
      XCTAssertNil(BLASKernels.nativeCoreType(running: known, cpuFlags: avx512), known)
    }
  }

  func testCPUFlagsComeFromTheFirstFlagsLine() {
    let cpuinfo = """
      processor\t: 0
      model name\t: Intel(R) Xeon(R) Processor
      flags\t\t: fpu sse3 avx2 fma avx512f
      bugs\t\t: spectre_v1

      processor\t: 1
      flags\t\t: fpu
      """
    XCTAssertEqual(BLASKernels.cpuFlags(cpuinfo: cpuinfo), ["fpu", "sse3", "avx2", "fma", "avx512f"])
    XCTAssertEqual(BLASKernels.cpuFlags(cpuinfo: "processor : 0\n"), [])
  }
}
