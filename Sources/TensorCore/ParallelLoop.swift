import Dispatch

/// Laminar's own intra-op parallelism: loops over independent pieces of one op (the images of a
/// convolution, the row or column pieces of a large product) spread over the rank's threads.
///
/// Every piece is computed the same way whichever thread runs it, so results do not depend on
/// the thread count. While a loop runs, each product inside it stays on its calling thread.
public enum ParallelLoop {
  /// Calls `body(i)` for i in 0..<count, on up to `BLASThreads.count` threads (the caller's among
  /// them), each taking a contiguous range of indices; returns when all have run. Nested loops
  /// and single-threaded ranks run serially.
  public static func forEach(_ count: Int, _ body: (Int) -> Void) {
    let threads = min(BLASThreads.count, count)
    guard threads > 1, !BLASThreads.insideParallelLoop else {
      for i in 0..<count { body(i) }
      return
    }
    BLASThreads.insideParallelLoop = true
    defer { BLASThreads.insideParallelLoop = false }
    withoutActuallyEscaping(body) { body in
      let box = UnsafeSendable(body)
      DispatchQueue.concurrentPerform(iterations: threads) { part in
        for i in (part * count / threads)..<((part + 1) * count / threads) { box.value(i) }
      }
    }
  }
}

extension ParallelLoop {
  /// Element-wise work over 0..<count in chunks of `chunk` indices, the chunks spread as in
  /// `forEach`; below two chunks it runs inline. Memory-bound loops gain from a second core only
  /// on tensors larger than its cache, hence the default of 128 Ki elements per chunk: at 32 Ki,
  /// MAF 8-D's [512, 128] activations were split and its step ran 1.5× slower on 2 threads.
  @inline(__always)
  public static func forEachChunk(_ count: Int, chunk: Int = 1 << 17, _ body: (Range<Int>) -> Void) {
    guard count >= 2 * chunk, BLASThreads.count > 1 else { return body(0..<count) }
    let chunks = (count + chunk - 1) / chunk
    forEach(chunks) { c in body(c * chunk..<min(count, (c + 1) * chunk)) }
  }
}

/// A value handed to the loop's threads; `forEach` returns only after they are done with it.
private struct UnsafeSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
