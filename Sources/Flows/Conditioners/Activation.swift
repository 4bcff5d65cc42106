import Autodiff
import TensorCore

/// The nonlinearity between the layers of a conditioner network.
public enum Activation: String, Sendable, CaseIterable, Codable {
  case relu, tanh, elu

  /// The element-wise function, for ops that fuse it (`Tape.dense`); ELU's alpha is 1.
  public var function: UnaryFunction {
    switch self {
    case .relu: return .relu
    case .tanh: return .tanh
    case .elu: return .elu
    }
  }

  /// The parameter `function` takes (ELU's alpha, as in `Variable.elu()`).
  public func parameter<S: TensorScalar>(_: S.Type) -> S { self == .elu ? 1 : 0 }

  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    switch self {
    case .relu: return x.relu()
    case .tanh: return x.tanh()
    case .elu: return x.elu()
    }
  }
}
