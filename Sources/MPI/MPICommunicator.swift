import CMPI
import Collectives

#if canImport(Glibc)
import Glibc
#endif

/// A `Communicator` over an MPI communicator (the world, from `MPIEnvironment.world()`).
///
/// All-reduces and typed broadcasts go through MPI in buckets of at most `buckets.bytes`
/// bytes, in place, so no call allocates and every MPI count fits in `Int32`.
public final class MPICommunicator: Communicator {
  public let rank: Int
  public let size: Int
  public let buckets: Buckets
  /// Kept so MPI is not finalized while this communicator is alive.
  let environment: MPIEnvironment
  let communicatorHandle: MPI_Comm
  /// True for communicators this process created (a split); the world belongs to MPI.
  private let ownsHandle: Bool
  /// The requests of `startAllReduce` not yet waited for; capacity kept from step to step.
  var startedRequests: [MPI_Request?] = []

  init(environment: MPIEnvironment, communicator: MPI_Comm, buckets: Buckets, ownsHandle: Bool = false) throws {
    var rank: Int32 = 0
    var size: Int32 = 0
    try check(MPI_Comm_rank(communicator, &rank), "MPI_Comm_rank")
    try check(MPI_Comm_size(communicator, &size), "MPI_Comm_size")
    self.rank = Int(rank)
    self.size = Int(size)
    self.buckets = buckets
    self.environment = environment
    self.communicatorHandle = communicator
    self.ownsHandle = ownsHandle
  }

  deinit {
    // No MPI call may follow MPI_Finalize, which frees what is left anyway.
    guard ownsHandle, !environment.isFinalized else { return }
    var handle: MPI_Comm? = communicatorHandle
    _ = MPI_Comm_free(&handle)
  }

  public func allReduce<T: CollectiveScalar>(
    _ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp
  ) throws {
    try forEachBucket(buffer, op) { start, count, type, mpiOp in
      try check(MPI_Allreduce(UnsafeRawPointer(cmpi_in_place()), start, count, type, mpiOp, communicatorHandle),
                "MPI_Allreduce")
    }
  }

  /// Calls `body` with each bucket of `buffer` (its start and count) and the MPI type and op.
  func forEachBucket<T: CollectiveScalar>(
    _ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp,
    _ body: (UnsafeMutablePointer<T>?, Int32, MPI_Datatype, MPI_Op) throws -> Void
  ) throws {
    requireLive()
    let type = T.collectiveKind.mpiDatatype
    let mpiOp = op.mpiOp
    for range in buckets.ranges(count: buffer.count, stride: MemoryLayout<T>.stride) {
      try body(buffer.baseAddress.map { $0 + range.lowerBound }, Int32(range.count), type, mpiOp)
    }
  }

  public func broadcast<T: CollectiveScalar>(
    _ buffer: UnsafeMutableBufferPointer<T>, root: Int
  ) throws {
    requireLive()
    try broadcastInBuckets(UnsafeMutableRawBufferPointer(buffer), stride: MemoryLayout<T>.stride,
                           type: T.collectiveKind.mpiDatatype, root: root)
  }

  public func broadcast(bytes: inout [UInt8], root: Int) throws {
    let length = try broadcasted(UInt64(bytes.count), root: root)
    if rank != root {
      bytes.removeAll(keepingCapacity: true)
      bytes.append(contentsOf: repeatElement(0, count: Int(length)))
    }
    try bytes.withUnsafeMutableBytes {
      try broadcastInBuckets($0, stride: 1, type: cmpi_byte(), root: root)
    }
  }

  public func barrier() throws {
    requireLive()
    try check(MPI_Barrier(communicatorHandle), "MPI_Barrier")
  }

  public func abort(code: Int32, message: String) -> Never {
    writeToStandardError("laminar rank \(rank) of \(size): aborting (code \(code)): \(message)\n")
    do {
      try check(MPI_Abort(communicatorHandle, code), "MPI_Abort")
    } catch {
      writeToStandardError("laminar rank \(rank): \(error); exiting this rank only\n")
    }
    exit(code)  // MPI_Abort does not return when it succeeds
  }

  /// MPI_Bcast of `buffer` in buckets; an empty buffer still makes one call, so a bad root is
  /// reported the same way on every rank whatever the count.
  private func broadcastInBuckets(
    _ buffer: UnsafeMutableRawBufferPointer, stride: Int, type: MPI_Datatype, root: Int
  ) throws {
    let root32 = Int32(clamping: root)
    for range in buckets.ranges(count: buffer.count / stride, stride: stride) {
      try check(
        MPI_Bcast(buffer.baseAddress.map { $0 + range.lowerBound * stride }, Int32(range.count),
                  type, root32, communicatorHandle),
        "MPI_Bcast")
    }
  }

  func requireLive() {
    precondition(!environment.isFinalized, "MPI collective called after MPIEnvironment.finalize()")
  }
}

/// `stderr` is a C global var that Swift 6 rejects as shared mutable state; fd 2 is not.
private func writeToStandardError(_ text: String) {
  _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
