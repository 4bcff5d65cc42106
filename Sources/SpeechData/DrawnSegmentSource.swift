import Datasets
import TensorCore

/// A source whose examples are random draws keyed by the batch's `ExampleDraw` (audio segments):
/// copies made without a draw (plots, `laminar eval` of whole files) take the evaluation draw of seed 0.
public protocol DrawnSegmentSource: ExampleSource {}

extension DrawnSegmentSource {
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try copyExamples(indices, draw: fixedDraw, into: out)
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try copyConditions(indices, draw: fixedDraw, into: out)
  }

  /// The draw of copies made without one.
  var fixedDraw: ExampleDraw { .evaluation(seed: 0) }
}
