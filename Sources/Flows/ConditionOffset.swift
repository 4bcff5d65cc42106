import Autodiff
import TensorCore

/// A point in data space computed from the raw condition, relative to which a conditional model
/// describes its data: the flow maps x − m(c), not x.
///
/// Subtracting a function of the condition is a bijection of x with unit Jacobian, so
/// log p(x | c) = log p_flow(x − m(c) | c) exactly; a good m (the bicubic upscaling of a
/// low-resolution image) only means the flow starts from, and learns, the residual.
public protocol ConditionOffset: Sendable {
  /// [batch, condition…] → [batch, event…], the event's size following from the condition's
  /// (a model that runs on images of any size gets offsets of any size).
  func offset<S: TensorScalar>(_ condition: Variable<S>) -> Variable<S>
}
