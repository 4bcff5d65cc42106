import CBLAS

/// OpenBLAS thread control. Laminar sets the count once per rank at start-up from its node's CPUs
/// and ranks (`perRank`), unless OPENBLAS_NUM_THREADS is set, which OpenBLAS reads itself.
public enum BLASThreads {
  public static var count: Int {
    get { Int(openblas_get_num_threads()) }
  }
  public static func set(_ n: Int) {
    precondition(n >= 1, "BLAS thread count must be at least 1, got \(n)")
    openblas_set_num_threads(Int32(n))
  }

  /// Threads for one rank so that ranks × threads ≤ the node's CPUs:
  /// ```
  /// max(1, min(ownCPUs, nodeCPUs / ranksOnNode))
  /// ```
  /// `nodeCPUs` counts the CPUs any rank of the node may run on and `ownCPUs` those of this rank:
  /// unbound ranks split the node, ranks a launcher bound to k CPUs each get k, never more.
  /// More threads than cores spin in sched_yield between small GEMMs and slow every rank down.
  public static func perRank(nodeCPUs: Int, ownCPUs: Int, ranksOnNode: Int) -> Int {
    precondition(ranksOnNode >= 1, "a node runs at least this rank, got \(ranksOnNode) ranks")
    return max(1, min(ownCPUs, nodeCPUs / ranksOnNode))
  }
}
