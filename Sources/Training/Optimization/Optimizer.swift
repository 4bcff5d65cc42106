import Autodiff
import TensorCore

/// An update rule over the flat parameter buffer of a `ParameterStore` (DESIGN §4).
///
/// One call to `update` is one optimizer step: it reads `parameters.gradients` and writes
/// `parameters.values` in a single loop. All state is in `state`, so a checkpoint that saves it
/// and a resume that restores it continue bit-exactly.
public protocol Optimizer: AnyObject {
  /// Applies one step with the given learning rate (from `LearningRateSchedule`).
  func update(_ parameters: ParameterStore<Float>, learningRate: Double)

  /// A copy of the moment buffers and the step counter.
  var state: OptimizerState { get }

  /// Replaces the moment buffers and the step counter, e.g. after loading a checkpoint.
  func restore(_ state: OptimizerState) throws(OptimizerStateError)
}

/// Which update rule produced an `OptimizerState`.
public enum OptimizerKind: String, CaseIterable, Sendable {
  case adam, adamax
}

/// The complete state of Adam or Adamax, as flat buffers plus the step counter.
///
/// Both rules keep two moment buffers of the parameter layout. A checkpoint stores them per
/// parameter slice as `adam.m.<name>` and `adam.v.<name>`; for Adamax, `v` holds the
/// exponentially weighted infinity norm `u` of the paper.
public struct OptimizerState: Equatable, Sendable {
  public var kind: OptimizerKind
  /// Number of updates applied so far; the next update uses `t = stepCount + 1`.
  public var stepCount: Int
  /// [parameterCount], same layout as `ParameterStore.values`.
  public var m: [Float]
  /// [parameterCount], same layout as `ParameterStore.values`.
  public var v: [Float]

  public init(kind: OptimizerKind, stepCount: Int, m: [Float], v: [Float]) {
    self.kind = kind
    self.stepCount = stepCount
    self.m = m
    self.v = v
  }

  /// Checks that this state fits an optimizer of `kind` over `parameterCount` parameters.
  func validate(for kind: OptimizerKind, parameterCount: Int) throws(OptimizerStateError) {
    guard self.kind == kind else {
      throw OptimizerStateError(
        "optimizer state was saved by \(self.kind.rawValue) but the run uses \(kind.rawValue); "
          + "set the optimizer back to \(self.kind.rawValue) or start without resuming")
    }
    guard m.count == parameterCount, v.count == parameterCount else {
      throw OptimizerStateError(
        "optimizer state holds \(m.count) first and \(v.count) second moments but the model has "
          + "\(parameterCount) parameters; the checkpoint belongs to a different model")
    }
    guard stepCount >= 0 else {
      throw OptimizerStateError("optimizer step count \(stepCount) is negative")
    }
  }
}

/// A restored optimizer state that does not fit the optimizer or the model.
public struct OptimizerStateError: Error, CustomStringConvertible, Equatable {
  public let description: String
  init(_ description: String) { self.description = description }
}
