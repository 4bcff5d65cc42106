import Support
import TensorCore

/// Examples from one source paired row by row with conditions from another, e.g. a file of
/// points with a file of their one-hot classes (`laminar eval --data X.npy --condition C.npy`).
public struct ConditionedExamples: ExampleSource {
  public let examples: any ExampleSource
  /// Row i is the condition of example i.
  public let conditions: any ExampleSource

  /// Throws when the two sources differ in length.
  public init(examples: any ExampleSource, conditions: any ExampleSource, names: (String, String)) throws {
    guard examples.count == conditions.count else {
      throw DataFileError(path: names.1, "holds \(conditions.count) conditions but \(names.0) holds "
                          + "\(examples.count) examples; give one condition row per example")
    }
    self.examples = examples
    self.conditions = conditions
  }

  public var count: Int { examples.count }
  public var exampleShape: Shape { examples.exampleShape }
  public var conditionShape: Shape? { conditions.exampleShape }

  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try examples.copyExamples(indices, into: out)
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try conditions.copyExamples(indices, into: out)
  }

  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                           into out: UnsafeMutableBufferPointer<Float>) throws {
    try examples.copyExamples(indices, draw: draw, into: out)
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                             into out: UnsafeMutableBufferPointer<Float>) throws {
    try conditions.copyExamples(indices, draw: draw, into: out)
  }
}
