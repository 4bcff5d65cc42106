import Collectives
import MPI

/// A bad root becomes a thrown MPIError carrying MPI's message on every rank, and the job goes on.
func checkErrors(_ h: MPITestHarness) {
  h.run("broadcast to root = size throws MPI_ERR_ROOT and the job continues") { e in
    var values: [Float] = [1, 2, 3]
    do {
      try h.comm.broadcast(&values, root: h.size)
      e.fail("broadcast to root \(h.size) did not throw")
    } catch let error as MPIError {
      e.expect(error.message.contains("MPI_ERR_ROOT"), "message '\(error.message)' is not MPI_ERR_ROOT")
      e.expect(error.call == "MPI_Bcast", "failed call reported as \(error.call)")
    }
    var blob: [UInt8] = [7]
    do {
      try h.comm.broadcast(bytes: &blob, root: h.size)
      e.fail("blob broadcast to root \(h.size) did not throw")
    } catch let error as MPIError {
      e.expect(error.message.contains("MPI_ERR_ROOT"), "blob: message '\(error.message)'")
    }
    e.expect(values == [1, 2, 3] && blob == [7], "a failed broadcast changed the buffers")
    let sum = try h.comm.allReduced(Int64(h.rank + 1), .sum)
    e.expect(sum == Int64(h.size * (h.size + 1) / 2), "all-reduce after the error gave \(sum)")
  }
  h.run("a bucket size outside 1-16 MiB is refused with its value") { e in
    do {
      _ = try Buckets(bytes: 100)
      e.fail("Buckets(bytes: 100) did not throw")
    } catch let error as CollectiveError {
      e.expect(error.message.contains("100 bytes"), "message '\(error.message)'")
    }
  }
}
