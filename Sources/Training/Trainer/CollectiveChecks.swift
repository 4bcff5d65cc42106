import Collectives
import Datasets
import Support

extension Communicator {
  /// Runs `body` on rank 0 only (file system work: directories, checkpoints, metrics) and makes
  /// its failure everyone's: the error message is broadcast and every rank throws it, so no rank
  /// waits forever in a collective that rank 0 will never reach.
  func onRankZero(_ body: () throws -> Void) throws {
    var message: [UInt8] = []
    if rank == 0 {
      do {
        try body()
      } catch {
        message = Array(DataFileError.describing(error).utf8)
        if message.isEmpty { message = Array("unknown error on rank 0".utf8) }
      }
    }
    try broadcast(bytes: &message, root: 0)
    if !message.isEmpty { throw TrainerError(String(decoding: message, as: UTF8.self)) }
  }

  /// Throws on every rank unless every rank passed the same `value`; `what` names it in the
  /// message, which lists the ranks of each distinct value and ends with `fix`.
  func requireAgreement(on value: UInt64, _ what: String, fix: String) throws {
    let values = try allGather(value)
    guard Set(values).count > 1 else { return }
    var groups: [(value: UInt64, ranks: [Int])] = []
    for (rank, v) in values.enumerated() {
      if let i = groups.firstIndex(where: { $0.value == v }) { groups[i].ranks.append(rank) } else { groups.append((v, [rank])) }
    }
    let parts = groups.map { g in
      (g.ranks.count == 1 ? "rank " : "ranks ") + g.ranks.map(String.init).joined(separator: ", ")
        + " \(g.ranks.count == 1 ? "has" : "have") " + String(g.value, radix: 16)
    }
    throw TrainerError("\(what) differs across ranks (\(parts.joined(separator: "; "))); \(fix)")
  }
}
