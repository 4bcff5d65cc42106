import CBLAS

/// Which of OpenBLAS's per-CPU kernel sets this process runs.
///
/// A DYNAMIC_ARCH OpenBLAS picks its kernels from the CPU model when the library loads. A model newer
/// than the library (0.3.21 on an Emerald Rapids Xeon, family 6 model 207) matches no table entry and
/// falls back to the generic Prescott (SSE3) kernels: sgemm runs 4–6× slower than with the AVX-512
/// kernels the CPU supports. `OPENBLAS_CORETYPE`, read only at load time, overrides the choice.
public enum BLASKernels {
  /// The kernel set OpenBLAS chose, e.g. `SkylakeX`, `Haswell`, `Zen`, `Prescott`.
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// The `OPENBLAS_CORETYPE` that runs the CPU's own vector width when OpenBLAS fell back to its
  /// generic kernels, or nil when its choice stands (it knew the CPU, or the CPU has no AVX2).
  public static func nativeCoreType(running coreName: String, cpuFlags: Set<String>) -> String? {
    guard coreName.lowercased() == "prescott" else { return nil }
    if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
    if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// The feature flags of the first processor in a Linux `/proc/cpuinfo` text (`flags : fpu vme …`);
  /// empty when there is no such line.
  public static func cpuFlags(cpuinfo: String) -> Set<String> {
    for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
    return []
  }
}
