import CMPI
import Collectives

/// Non-blocking all-reduces, so the trainer can reduce gradient buckets while backward runs.
extension MPICommunicator {
  /// One MPI_Iallreduce per bucket of `buffer`, in place. Buckets have the same bounds as in
  /// `allReduce`, so a started reduction of a whole buffer makes calls of the same counts.
  public func startAllReduce<T: CollectiveScalar>(
    _ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp
  ) throws {
    try forEachBucket(buffer, op) { start, count, type, mpiOp in
      var request: MPI_Request? = nil
      try check(MPI_Iallreduce(UnsafeRawPointer(cmpi_in_place()), start, count, type, mpiOp, communicatorHandle,
                               &request),
                "MPI_Iallreduce")
      startedRequests.append(request)
    }
    try progressStartedAllReduces()
  }

  public func waitForStartedAllReduces() throws {
    requireLive()
    defer { startedRequests.removeAll(keepingCapacity: true) }
    guard !startedRequests.isEmpty else { return }
    try check(MPI_Waitall(Int32(startedRequests.count), &startedRequests, cmpi_statuses_ignore()), "MPI_Waitall")
  }

  /// Open MPI has no progress thread: a non-blocking collective advances only inside MPI calls.
  /// Testing the started requests at each start moves the earlier buckets on while backward
  /// computes the next one.
  private func progressStartedAllReduces() throws {
    var done: Int32 = 0
    try check(MPI_Testall(Int32(startedRequests.count), &startedRequests, &done, cmpi_statuses_ignore()),
              "MPI_Testall")
  }
}
