import Autodiff
import Collectives
import TensorCore

/// Folds audio into groups of consecutive samples, one channel per position in the group: WaveGlow's
/// `unfold(1, g, g)`. Volume-preserving (a permutation of the entries).
///
/// ```
/// x [batch, 1, L]  →  z [batch, g, 1, L/g],   z[n, j, 0, t] = x[n, 0, t·g + j]
/// ```
/// The folded audio has height 1, so the image layers (invertible 1×1 convolution, factor-out)
/// apply to it unchanged. Reference: Prenger et al. 2019 (WaveGlow), §2.
public struct AudioFold: InvertibleFlowLayer {
  public let groups: Int

  public init(groups: Int) {
    precondition(groups >= 2, "folding needs groups of at least 2 samples, got \(groups)")
    self.groups = groups
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(x.shape.rank == 3 && x.shape[1] == 1 && x.shape[2] % groups == 0,
                 "folding into groups of \(groups) takes audio [batch, 1, L] with L a multiple of \(groups), got \(x.shape)")
    let (n, frames) = (x.shape[0], x.shape[2] / groups)
    let z = x.reshaped(to: [n, frames, groups]).transposed([0, 2, 1]).reshaped(to: [n, groups, 1, frames])
    return FlowResult(output: z, logAbsDet: x.zeroLogAbsDet())
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(z.shape.rank == 4 && z.shape[1] == groups && z.shape[2] == 1,
                 "unfolding \(groups) groups takes [batch, \(groups), 1, T], got \(z.shape)")
    let (n, frames) = (z.shape[0], z.shape[3])
    let x = z.reshaped(to: [n, groups, frames]).transposed([0, 2, 1]).reshaped(to: [n, 1, frames * groups])
    return FlowResult(output: x, logAbsDet: z.zeroLogAbsDet())
  }
}
