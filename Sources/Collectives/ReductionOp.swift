/// The element-wise reduction of an all-reduce.
public enum ReductionOp: Sendable, CaseIterable {
  case sum
  case max
  case min
}
