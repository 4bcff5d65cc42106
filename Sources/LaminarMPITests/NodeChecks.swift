import Collectives
import MPI

/// The node communicator behind the per-node BLAS threads: on one host every rank shares the
/// node, in world order, and the split communicator carries collectives of its own.
func checkNode(_ h: MPITestHarness, world: MPICommunicator) {
  h.run("nodeCommunicator groups the ranks of one host") { e in
    let node = try world.nodeCommunicator()
    e.expect(node.size == h.size && node.rank == h.rank, "node rank \(node.rank) of \(node.size), world \(h.rank) of \(h.size)")
    let ranksOnNode = try node.allReduced(Int64(1), .sum)
    e.expect(ranksOnNode == Int64(h.size), "the node's sum of ones is \(ranksOnNode)")
    let names = try world.allGather(bytes: Array(world.processorName().utf8))
    e.expect(Set(names).count == 1, "one host but processor names \(names)")
  }
}
