import Datasets
import TensorCore

/// Examples held in memory, e.g. the grid points of a density plot.
public struct InMemoryExamples: ExampleSource {
  /// [count, exampleShape…]
  public let values: [Float]
  public let exampleShape: Shape

  public init(values: [Float], exampleShape: Shape) {
    precondition(values.count % exampleShape.count == 0,
                 "\(values.count) values do not split into examples of shape \(exampleShape)")
    self.values = values
    self.exampleShape = exampleShape
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
