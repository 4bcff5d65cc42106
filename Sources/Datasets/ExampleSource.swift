import TensorCore

/// A dataset the trainer reads by global example index, with a condition per example where the
/// data has one (a class, a feature vector, a low-resolution image).
///
/// Each rank asks only for the examples of its shard (positions r, r+W, … of the global batch),
/// so a source must be able to copy arbitrary rows without reading the rest.
public protocol ExampleSource: Sendable {
  /// Number of examples.
  var count: Int { get }
  /// Shape of one example, e.g. [2] or [1, 8, 8].
  var exampleShape: Shape { get }
  /// Shape of one example's condition, e.g. [K]; nil when the examples have none.
  var conditionShape: Shape? { get }
  /// Copies the examples at `indices` into `out` ([indices.count, exampleShape…]) as Float32.
  func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws
  /// Copies the conditions of the examples at `indices` into `out` ([indices.count, conditionShape…]).
  func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws
  /// The examples of `draw`: a source of random draws (image crops and flips, speech segments)
  /// copies the ones that draw keys, by (seed, step) and example index, never by rank; a fixed
  /// source copies its only ones.
  func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                    into out: UnsafeMutableBufferPointer<Float>) throws
  /// The conditions of `draw`, matching its examples (e.g. the LR image of each HR crop, the mel of each speech segment).
  func copyConditions(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                      into out: UnsafeMutableBufferPointer<Float>) throws
}

extension ExampleSource {
  /// Unconditional data.
  public var conditionShape: Shape? { nil }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    preconditionFailure("\(type(of: self)) has no conditions")
  }

  /// A fixed source: every draw is the same.
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                           into out: UnsafeMutableBufferPointer<Float>) throws {
    try copyExamples(indices, into: out)
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                             into out: UnsafeMutableBufferPointer<Float>) throws {
    try copyConditions(indices, into: out)
  }
}
