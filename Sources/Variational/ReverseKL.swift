import Autodiff
import Collectives
import Models
import TensorCore
import VariationalTargets

/// The reverse-KL objective of variational inference with a flow q and a target exp(−U)/Z:
/// ```
/// KL(q ‖ p) = E_q[log q(x) + U(x)] + log Z = −ELBO + log Z
/// loss_β    = (1/B) Σ_{i<B} [log q(xᵢ) + β·U(xᵢ)],   xᵢ = T(z₀ᵢ),  z₀ᵢ ~ N(0, I)
/// ```
/// z₀ is reparameterized, so the gradient of the Monte Carlo estimate flows through T into the
/// flow's parameters (`ReverseKLObjective` trains it).
/// Reference: Rezende & Mohamed 2015, eq. (15)–(17).
public struct ReverseKL: Sendable {
  public let flow: VariationalFlow
  public let energy: any Energy2D

  public init(flow: VariationalFlow, energy: any Energy2D) {
    self.flow = flow
    self.energy = energy
  }

  /// The samples, log q and U of base draws z₀ [n, 2].
  public func terms<S: TensorScalar>(latent z0: Variable<S>) -> ReverseKLTerms<S> {
    let pushed = flow.generative.transform(z0)
    return ReverseKLTerms(samples: pushed.output,
                          logDensity: VariationalFlow.logDensity(latent: z0, pushed: pushed),
                          energy: energy.energy(pushed.output))
  }
}

extension ReverseKL {
  /// The shard's terms and its part of `loss_β` (a [1] scalar to back-propagate from): the sum
  /// over the shard's draws divided by the global B, so the shards' gradients sum to the batch's.
  public func loss<S: TensorScalar>(
    on tape: Tape<S>, noise: RandomStream, shard: BatchShard, beta: Double
  ) -> (terms: ReverseKLTerms<S>, loss: Variable<S>) {
    precondition(shard.count > 0, "shard \(shard.rank) of \(shard.worldSize) over a batch of \(shard.batchSize) is empty")
    let z0: Variable<S> = tape.standardNormalRows(shard.examples, dimension: VariationalFlow.dimension, stream: noise)
    let t = terms(latent: z0)
    let perExample = t.logDensity + t.energy.scaled(by: S(beta))
    return (t, perExample.sum().scaled(by: 1 / S(shard.batchSize)))
  }
}

/// Per-sample quantities of a batch pushed through the flow.
public struct ReverseKLTerms<S: TensorScalar> {
  /// [n, 2] x = T(z₀)
  public let samples: Variable<S>
  /// [n] log q(x)
  public let logDensity: Variable<S>
  /// [n] U(x)
  public let energy: Variable<S>

  /// [n] log importance weights log w = −U(x) − log q(x), in Float64.
  public var logWeights: [Double] {
    zip(energy.value, logDensity.value).map { -Double($0) - Double($1) }
  }

  /// (Σ log q, Σ U) over the rows, in Float64.
  public var sums: (logDensity: Double, energy: Double) {
    (logDensity.value.reduce(0) { $0 + Double($1) }, energy.value.reduce(0) { $0 + Double($1) })
  }
}
