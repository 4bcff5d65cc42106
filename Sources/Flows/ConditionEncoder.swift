import Autodiff
import TensorCore

/// Turns a conditional model's raw condition (a low-resolution image, a mel spectrogram) into the
/// features its layers and base read. Its parameters live in the model's parameter store, so it
/// trains jointly with the flow through the likelihood.
///
/// The model encodes once per batch, before the flow, and hands the same features to every layer:
/// a layer that needs them at another resolution adapts them itself.
public protocol ConditionEncoder: Sendable {
  /// [batch, condition…] → [batch, features…].
  func encode<S: TensorScalar>(_ condition: Variable<S>) -> Variable<S>
}
