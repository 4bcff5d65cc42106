import Autodiff
import TensorCore

/// The nonlinearity between the layers of a conditioner network.
public enum Activation: String, Sendable, CaseIterable, Codable {
  case relu, tanh, elu

  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    switch self {
    case .relu: return x.relu()
    case .tanh: return x.tanh()
    case .elu: return x.elu()
    }
  }
}
