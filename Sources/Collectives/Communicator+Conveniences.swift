/// Array and single-value forms of the collectives; each is one call of the buffer form.
extension Communicator {
  /// Replaces every element of `array` by its reduction over all ranks.
  public func allReduce<T: CollectiveScalar>(_ array: inout [T], _ op: ReductionOp) throws {
    try array.withUnsafeMutableBufferPointer { try allReduce($0, op) }
  }

  /// The reduction of `value` over all ranks.
  public func allReduced<T: CollectiveScalar>(_ value: T, _ op: ReductionOp) throws -> T {
    var v = value
    try withUnsafeMutablePointer(to: &v) {
      try allReduce(UnsafeMutableBufferPointer(start: $0, count: 1), op)
    }
    return v
  }

  /// Copies `root`'s array into every rank's array; all ranks pass arrays of the same count.
  public func broadcast<T: CollectiveScalar>(_ array: inout [T], root: Int) throws {
    try array.withUnsafeMutableBufferPointer { try broadcast($0, root: root) }
  }

  /// `root`'s `value`, on every rank.
  public func broadcasted<T: CollectiveScalar>(_ value: T, root: Int) throws -> T {
    var v = value
    try withUnsafeMutablePointer(to: &v) {
      try broadcast(UnsafeMutableBufferPointer(start: $0, count: 1), root: root)
    }
    return v
  }
}
