import CAffinity
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPUs this process may run on: its affinity mask (`sched_getaffinity`), which a launcher's
/// binding, a cgroup cpuset or Slurm narrows, rather than every CPU the machine has online.
public enum CPUAffinity {
  /// glibc's CPU_SETSIZE: the CPU indices one affinity mask covers.
  static let capacity = 1024

  /// One flag per CPU index, 1 where this process may run; as `Int32` so a node's ranks can merge
  /// their masks with an all-reduce of `max`.
  public static func flags() -> [Int32] {
    var mask = [UInt8](repeating: 0, count: capacity)
    let written = laminar_cpu_affinity(&mask, Int32(capacity))
    guard written > 0, mask.contains(1) else {
      // No mask to read: every online CPU.
      return [Int32](repeating: 1, count: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
    return mask.map { Int32($0) }
  }
}
