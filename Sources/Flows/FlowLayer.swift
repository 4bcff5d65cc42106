import Autodiff
import Collectives
import TensorCore

/// The result of pushing a batch through a flow layer.
public struct FlowResult<S: TensorScalar> {
  /// The transformed batch.
  public let output: Variable<S>
  /// [batch] log|det ∂output/∂input| per example.
  public let logAbsDet: Variable<S>

  public init(output: Variable<S>, logAbsDet: Variable<S>) {
    self.output = output
    self.logAbsDet = logAbsDet
  }
}

/// A bijection evaluated in the density direction: data x → latent z (DESIGN §2).
///
/// `log p(x | c) = log p_Z(forward(x).output) + forward(x).logAbsDet`. Layers whose inverse has no
/// closed form conform only to this protocol, so sampling through them does not compile.
public protocol FlowLayer: Sendable {
  func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S>
}

/// A flow layer with a closed-form inverse (latent z → data x), used for sampling.
public protocol InvertibleFlowLayer: FlowLayer {
  /// z → x; `logAbsDet` is log|det ∂x/∂z|, i.e. minus the forward log-determinant at x.
  func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S>

  /// Sets the layer's data-dependent parameters (actnorm) from `x`, this rank's shard of the init
  /// batch. This is an explicit collective step before step 0, never a side effect of `forward`
  /// (DESIGN §5): each such layer all-reduces sufficient statistics, so every rank computes the
  /// identical values. Layers without such parameters do nothing.
  func initializeDataDependent<S: TensorScalar>(
    from x: Variable<S>, condition: Variable<S>?, parameters: ParameterStore<S>, communicator: any Communicator
  ) throws
}

extension FlowLayer {
  public func forward<S: TensorScalar>(_ x: Variable<S>) -> FlowResult<S> { forward(x, condition: nil) }
}

extension InvertibleFlowLayer {
  public func inverse<S: TensorScalar>(_ z: Variable<S>) -> FlowResult<S> { inverse(z, condition: nil) }
}

extension Variable {
  /// A [batch] vector of zeros, the log-determinant of a volume-preserving map.
  func zeroLogAbsDet() -> Variable {
    tape.constant(0, shape: [shape[0]])
  }

  /// Sums every axis but the first: [batch, ...] → [batch].
  func sumPerExample() -> Variable {
    shape.rank == 1 ? self : sum(alongAxes: Array(1..<shape.rank))
  }
}
