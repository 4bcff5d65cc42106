import Autodiff
import Collectives
import Models
import TensorCore
import Training
import VariationalTargets

/// The annealed reverse KL of a variational flow as a `TrainingObjective`, over base-noise
/// draws instead of a data set:
/// ```
/// loss_β = (1/B) Σ_{i<B} [log q(xᵢ) + β·U(xᵢ)],   xᵢ = T(z₀ᵢ),  z₀ᵢ ~ N(0, I)
/// ```
/// Rank r draws positions r, r + W, … of step s's B draws, keyed by (seed, s, example index), so
/// 1 rank and W ranks fit the same flow. The reported loss is the batch −ELBO = E_q[log q + U]
/// (β = 1) whatever β the step used; the "energy" term is E_q[U].
public final class ReverseKLObjective: TrainingObjective {
  public let kl: ReverseKL
  public let parameters: ParameterStore<Float>
  public let noise: LatentNoise
  public let annealing: BetaAnnealing

  public init(kl: ReverseKL, parameters: ParameterStore<Float>, noise: LatentNoise, annealing: BetaAnnealing) {
    self.kl = kl
    self.parameters = parameters
    self.noise = noise
    self.annealing = annealing
  }

  /// The objective a VI run describes, fitting `energy` in place of the spec's target if given
  /// (e.g. a test energy); the flow's parameters are registered, not yet initialized.
  public convenience init(spec: VariationalRunSpec, energy: (any Energy2D)? = nil) {
    let parameters = ParameterStore<Float>()
    self.init(kl: ReverseKL(flow: VariationalFlow(spec.flow, parameters: parameters),
                            energy: energy ?? spec.target.energy),
              parameters: parameters, noise: LatentNoise(seed: spec.trainer.seed), annealing: spec.annealing)
  }

  public var exampleShape: Shape { [VariationalFlow.dimension] }
  public var dimensions: Int { VariationalFlow.dimension }
  public var lossIsLikelihood: Bool { false }
  public var layerNames: [String] { [] }
  public var termNames: [String] { ["energy"] }

  /// Fresh draws every step: no epochs.
  public func epoch(atCursor cursor: Int) -> Int { 0 }

  /// Planar and IAF layers have no data-dependent parameters.
  public func initializeDataDependent(_ context: StepContext, on tape: Tape<Float>,
                                      communicator: any Communicator) throws {}

  public func loss(_ context: StepContext, on tape: Tape<Float>,
                   statistics: inout StepStatistics) throws -> Variable<Float> {
    let (terms, loss) = kl.loss(on: tape, noise: noise.training(step: context.step), shard: context.shard,
                                beta: annealing.beta(atStep: context.step))
    let sums = terms.sums
    statistics.lossSum = sums.logDensity + sums.energy
    statistics.setTerm(0, sums.energy)
    return loss
  }

  public func metrics(atStep step: Int) -> [(key: String, value: Double)] {
    [("beta", annealing.beta(atStep: max(step, 0)))]
  }

  /// A planar flow has no inverse to check.
  public func roundTripError(on tape: Tape<Float>, communicator: any Communicator) throws -> Double? { nil }

  /// Reverse KL has no data to validate on; `VariationalEvaluator` estimates log Z at the end.
  public func validate(communicator: any Communicator) throws -> Double? { nil }
}
