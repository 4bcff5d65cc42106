import CBLAS

/// The rank's thread count for products, and how a product uses it. Laminar sets the count once
/// per rank at start-up from its node's CPUs and ranks (`perRank`), unless OPENBLAS_NUM_THREADS is
/// set. OpenBLAS itself always runs on the calling thread: a large product is split into pieces
/// that `ParallelLoop` runs (`splitProduct`). OpenBLAS's own workers spin in sched_yield after
/// each threaded product, taking the core from the single-threaded work that follows it: with
/// them, RealNVP, MAF, Glow and SRFlow ×4 ran slower on 2 threads than on 1 (SRFlow ×4 796 →
/// 840 ms/step, a quarter of the samples in sched_yield).
public enum BLASThreads {
  /// The most threads one product may use: OpenBLAS's own count at first use (its
  /// OPENBLAS_NUM_THREADS or the machine's CPUs), then what `set` chose.
  public static var count: Int { limit }

  public static func set(_ n: Int) {
    precondition(n >= 1, "BLAS thread count must be at least 1, got \(n)")
    limit = n
  }

  // Written at start-up (and by the kernel benchmarks) before products run; read per product.
  nonisolated(unsafe) private static var limit: Int = {
    let configured = Int(openblas_get_num_threads())
    openblas_set_num_threads(1)
    return configured
  }()

  /// Multiply-adds (m·n·k) from which a product is split over all `count` threads; smaller ones
  /// run on one, since their pieces would finish before a second thread has started. 2 threads
  /// first gained at 512³ (2.7 ms on one core) on a shared 2-core machine, measured with OpenBLAS's
  /// own threads; Laminar's pieces may gain from a lower cut-off, not yet measured.
  public static let parallelWork = 1 << 26

  /// Threads for one m×k by k×n product: one inside a `ParallelLoop`, whose threads are busy.
  @inline(__always) public static func forProduct(m: Int, n: Int, k: Int) -> Int {
    limit > 1 && !insideParallelLoop && Double(m) * Double(n) * Double(k) >= Double(parallelWork) ? limit : 1
  }

  /// Runs the row-major product C[m, n] = op(A)[m, k] · op(B)[k, n] as `piece(rows, columns, A,
  /// B, C)` calls on sub-blocks, each on one OpenBLAS thread: whole when `forProduct` gives one
  /// thread, else the longer side of C cut into one range per thread, at multiples of 64 so no
  /// piece adds ragged kernel tiles. Every entry of C is summed over k in the same order
  /// whichever piece holds it, so the product is bit-identical on any thread count.
  @inline(__always)
  static func splitProduct<S>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int, c: UnsafeMutablePointer<S>, ldc: Int,
    _ piece: (_ m: Int32, _ n: Int32, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ c: UnsafeMutablePointer<S>) -> Void
  ) {
    callingThreadOnly()
    let threads = forProduct(m: m, n: n, k: k)
    guard threads > 1 else { return piece(Int32(m), Int32(n), a, b, c) }
    let side = max(m, n), step = (side / threads + 63) / 64 * 64
    ParallelLoop.forEach((side + step - 1) / step) { p in
      let start = p * step, count = min(side, start + step) - start
      if n >= m {
        piece(Int32(m), Int32(count), a, transposeB ? b + start * ldb : b + start, c + start)
      } else {
        piece(Int32(count), Int32(n), transposeA ? a + start : a + start * lda, b, c + start * ldc)
      }
    }
  }

  /// Puts OpenBLAS on the calling thread, once, before its first call; every BLAS and LAPACK
  /// call goes through here.
  @inline(__always) static func callingThreadOnly() { _ = limit }

  /// Set by `ParallelLoop.forEach` while its threads run (by the thread that started it, before
  /// and after they run, so a plain flag suffices).
  nonisolated(unsafe) static var insideParallelLoop = false

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
