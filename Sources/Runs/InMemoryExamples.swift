import Datasets
import TensorCore

/// Examples held in memory, e.g. the grid points of a density plot, optionally all with one
/// condition (the class a conditional density is drawn for).
public struct InMemoryExamples: ExampleSource {
  /// [count, exampleShape…]
  public let values: [Float]
  public let exampleShape: Shape
  /// [C] the condition of every example; nil for unconditional examples.
  public let condition: [Float]?

  public init(values: [Float], exampleShape: Shape, condition: [Float]? = nil) {
    precondition(values.count % exampleShape.count == 0,
                 "\(values.count) values do not split into examples of shape \(exampleShape)")
    self.values = values
    self.exampleShape = exampleShape
    self.condition = condition
  }

  public var conditionShape: Shape? { condition.map { [$0.count] } }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    guard let condition else { preconditionFailure("these examples have no condition") }
    for k in indices.indices { for j in condition.indices { out[k * condition.count + j] = condition[j] } }
  }

  public var count: Int { values.count / exampleShape.count }

  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    let d = exampleShape.count
    for (k, i) in indices.enumerated() {
      precondition(i >= 0 && i < count, "example \(i) out of range 0..<\(count)")
      for j in 0..<d { out[k * d + j] = values[i * d + j] }
    }
  }
}
