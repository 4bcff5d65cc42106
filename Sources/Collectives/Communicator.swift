/// The collective operations the trainer needs, over a group of `size` ranks.
///
/// Every rank of the group must make the same calls in the same order with the same counts, types,
/// operations and roots (the MPI rule); a call only some ranks make waits forever. Errors that a
/// rank detects (an invalid root, a failed transfer) are thrown with a message.
/// `LocalCommunicator` is the size-1 implementation; `MPICommunicator` (module `MPI`) the real one.
public protocol Communicator: AnyObject {
  /// This process's index in the group, in `0..<size`.
  var rank: Int { get }
  /// The number of ranks in the group.
  var size: Int { get }

  /// Replaces every element by its reduction over all ranks, in place.
  ///
  /// Large buffers are reduced in buckets (see `Buckets`), each bucket one collective call.
  /// An empty buffer still makes one (empty) collective call on every rank.
  func allReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws

  /// The buckets `allReduce` splits large buffers into.
  var buckets: Buckets { get }

  /// Starts `allReduce(buffer, op)` without waiting for it: `buffer` must be neither read nor
  /// written until `waitForStartedAllReduces()` returns. Every rank starts the same all-reduces in
  /// the same order. Communicators without non-blocking collectives reduce before returning.
  func startAllReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws

  /// Returns when every all-reduce started since the last call is complete.
  func waitForStartedAllReduces() throws

  /// Copies `root`'s buffer into every other rank's buffer; all ranks pass the same count.
  func broadcast<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws

  /// Replaces `bytes` on every rank by `root`'s bytes; the length need only be known on `root`.
  func broadcast(bytes: inout [UInt8], root: Int) throws

  /// Returns when every rank has entered the barrier.
  func barrier() throws

  /// Every rank's `value`, indexed by rank.
  func allGather<T: CollectiveScalar>(_ value: T) throws -> [T]

  /// Every rank's byte blob, indexed by rank; blobs may differ in length. Meant for small blobs
  /// (config hashes, host names): the total must stay below 2 GiB.
  func allGather(bytes: [UInt8]) throws -> [[UInt8]]

  /// Prints `message` to standard error and terminates every rank with exit code `code` (non-zero).
  func abort(code: Int32, message: String) -> Never
}

/// The blocking fallback: buckets of `Buckets.standard`, and an all-reduce that is complete when
/// it is started.
extension Communicator {
  public var buckets: Buckets { .standard }

  public func startAllReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws {
    try allReduce(buffer, op)
  }

  public func waitForStartedAllReduces() throws {}
}
