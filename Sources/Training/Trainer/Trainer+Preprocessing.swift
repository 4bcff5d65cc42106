import Datasets
import TensorCore

extension Dequantization {
  /// Dequantizes `values` ([indices.count, D] levels → y') in place and returns what turns
  /// Σ log p(y') over these examples into Σ log P(x) (see `dataLogLikelihood`):
  /// ```
  /// Σ_i logDet_i − n·D·ln(bins)
  /// ```
  /// - Parameter logDets: scratch for the per-example log-dets, at least `indices.count` long.
  func applyReturningCorrection(
    to values: UnsafeMutableBufferPointer<Float>, examples indices: UnsafeBufferPointer<Int>,
    noise: RandomStream, logDets: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    guard !indices.isEmpty else { return 0 }
    let perExample = UnsafeMutableBufferPointer(rebasing: logDets[0 ..< indices.count])
    apply(to: values, examples: indices, noise: noise, logDeterminants: perExample)
    var logDet = 0.0
    for v in perExample { logDet += v }
    return dataLogLikelihood(model: 0, preprocessingLogDet: logDet, dimensions: values.count)
  }
}

extension Trainer {
  /// Dequantizes this rank's shard in `batch` with the noise of the current step; returns the
  /// correction from Σ log p(y') to Σ log P(x) over the shard (0 for continuous data).
  func preprocessBatch() -> Double {
    guard let preprocessing else { return 0 }
    let noise = Dequantization.trainingNoise(seed: options.seed, step: state.step)
    return shardIndices.withUnsafeBufferPointer { indices in
      batch.withUnsafeMutableBufferPointer { values in
        preprocessingLogDets.withUnsafeMutableBufferPointer {
          preprocessing.applyReturningCorrection(to: values, examples: indices, noise: noise, logDets: $0)
        }
      }
    }
  }
}
