import Foundation
import MPI
import Support
import TensorCore

/// OpenBLAS threads decided on each node, by that node: the launching host cannot know how many
/// cores the other nodes have, nor how many ranks mpirun or srun puts on each.
enum NodeBLASThreads {
  /// Sets this rank's BLAS threads to `BLASThreads.perRank` of its node's CPUs and ranks, unless
  /// OPENBLAS_NUM_THREADS is set (an explicit choice wins; OpenBLAS has read it already). The
  /// node's lowest rank prints the outcome, one line per host. Collective over `world`.
  static func configure(world: MPICommunicator) throws {
    let node = try world.nodeCommunicator()
    var nodeCPUs = CPUAffinity.flags()
    let ownCPUs = nodeCPUs.reduce(0) { $0 + Int($1) }
    // The union of the node's affinity masks: the CPUs its ranks may use between them.
    try nodeCPUs.withUnsafeMutableBufferPointer { try node.allReduce($0, .max) }
    let cores = nodeCPUs.reduce(0) { $0 + Int($1) }
    let reason: String
    if let explicit = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"], !explicit.isEmpty {
      reason = "OPENBLAS_NUM_THREADS=\(explicit)"
    } else {
      BLASThreads.set(BLASThreads.perRank(nodeCPUs: cores, ownCPUs: ownCPUs, ranksOnNode: node.size))
      reason = "\(cores) \(plural(cores, "core")) ÷ \(node.size) \(plural(node.size, "rank"))"
    }
    guard node.rank == 0 else { return }
    let threads = BLASThreads.count
    // stderr: stdout stays for what a command produces.
    FileHandle.standardError.write(Data(("laminar: host \(try world.processorName()): \(node.size) "
      + "\(plural(node.size, "rank")) × \(threads) BLAS \(plural(threads, "thread")) (\(reason))\n").utf8))
  }

  private static func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }
}
