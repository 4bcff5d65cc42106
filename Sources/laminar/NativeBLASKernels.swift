import Foundation
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// Restarts laminar with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to its generic kernels on a
/// CPU it does not know (see `BLASKernels`): the variable is read only while the library loads, so
/// the process must begin again, before MPI or anything else has started. An explicit
/// `OPENBLAS_CORETYPE` (even an empty one) is left alone.
enum NativeBLASKernels {
  static func restartIfGeneric() {
    let environment = ProcessInfo.processInfo.environment
    guard environment["OPENBLAS_CORETYPE"] == nil,
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
    let running = BLASKernels.coreName
    guard let native = BLASKernels.nativeCoreType(running: running, cpuFlags: BLASKernels.cpuFlags(cpuinfo: cpuinfo))
    else { return }
    setenv("OPENBLAS_CORETYPE", native, 1)
    // One line per job, not per rank: ranks under mpirun or srun other than the first stay quiet.
    let rank = environment["OMPI_COMM_WORLD_RANK"] ?? environment["PMIX_RANK"] ?? environment["SLURM_PROCID"] ?? "0"
    if rank == "0" {
      FileHandle.standardError.write(Data(("laminar: OpenBLAS does not know this CPU and chose its generic "
        + "\(running) kernels; restarting with OPENBLAS_CORETYPE=\(native) (set OPENBLAS_CORETYPE to choose)\n").utf8))
    }
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    // Only reached when the restart failed: carry on with the slow kernels rather than stop.
    FileHandle.standardError.write(Data("laminar: restart failed (\(String(cString: strerror(errno)))); continuing with \(running)\n".utf8))
  }
}
