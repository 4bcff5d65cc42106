import CBLAS

/// OpenBLAS thread control. Laminar sets the count once per rank at start-up from its node's CPUs
/// and ranks (`perRank`), unless OPENBLAS_NUM_THREADS is set, which OpenBLAS reads itself. That
/// count is a ceiling: each product runs on `forProduct` of it.
public enum BLASThreads {
  /// The most threads one product may use: OpenBLAS's own count at first use (its
  /// OPENBLAS_NUM_THREADS or the machine's CPUs), then what `set` chose.
  public static var count: Int { limit }

  public static func set(_ n: Int) {
    precondition(n >= 1, "BLAS thread count must be at least 1, got \(n)")
    limit = n
    openblas_set_num_threads(Int32(n))
  }

  // Written at start-up (and by the kernel benchmarks) before products run; read per product.
  nonisolated(unsafe) private static var limit = Int(openblas_get_num_threads())

  /// Multiply-adds (m·n·k) from which a product runs on all `count` threads; smaller ones run on
  /// one. OpenBLAS's own cut-off (m·n·k > 262 144) wakes its workers for products that finish
  /// before the workers have started: on a 2-core machine every model of issue 13 ran slower on 2
  /// threads than on 1 (MAF 8-D 4.77 → 7.14 ms/step), and 2 threads first gained at 512³ (2.7 ms on
  /// one core) when measured on that shared machine, so smaller products stay on the calling thread.
  public static let parallelWork = 1 << 26

  /// Threads for one m×k by k×n product: one inside a `ParallelLoop`, whose threads are busy.
  @inline(__always) public static func forProduct(m: Int, n: Int, k: Int) -> Int {
    limit > 1 && !insideParallelLoop && Double(m) * Double(n) * Double(k) >= Double(parallelWork) ? limit : 1
  }

  /// Set by `ParallelLoop.forEach` while its threads run (by the thread that started it, before
  /// and after they run, so a plain flag suffices).
  nonisolated(unsafe) static var insideParallelLoop = false

  /// Runs the next product on `threads` threads; a no-op when OpenBLAS already uses that many.
  @inline(__always) static func use(_ threads: Int) {
    if Int(openblas_get_num_threads()) != threads { openblas_set_num_threads(Int32(threads)) }
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
