/// Inputs a metric cannot be computed from, with what is wrong and the fix, e.g.
/// `AUROC needs both classes: all 54 labels are 0; add anomalies labelled 1`.
public struct MetricError: Error, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
