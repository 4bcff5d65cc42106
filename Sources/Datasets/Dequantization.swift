import TensorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Uniform dequantization of integer levels, then an optional shift or logit: the preprocessing
/// between discrete images and the continuous density a flow models (DESIGN §2).
///
/// ```
/// y  = (x + u) / bins,   u ~ U[0, 1)^D,  x ∈ {0 … bins − 1}^D
/// y' = y + shift                           (.shift; Glow uses −½)
/// y' = logit(α + (1 − 2α)·y)               (.logit; RealNVP uses α = 0.05)
/// log P(x) ≥ log p(y') + Σ_j log|dy'_j/dy_j| − D·ln(bins)
/// ```
/// The last line is the one place the constants enter (`dataLogLikelihood`): the trainer and the
/// evaluator report −log P(x) in nats, so bits/dim are simply `nll / (D·ln 2)`.
///
/// Noise keying (DESIGN §5): element j of dataset example i draws value `offset(example: i,
/// element: j)` of the given stream, so a batch split over W ranks gets the same noise as on one
/// rank. Training step s uses `trainingNoise(seed:step:)`, evaluation the fixed `evaluationNoise`.
///
/// Reference: Theis et al. 2016 (uniform dequantization bound); Dinh et al. 2017 (RealNVP, logit
/// preprocessing, §4.1); Kingma & Dhariwal 2018 (Glow, centered inputs).
public struct Dequantization: Sendable, Equatable {
  /// What follows the division by `bins`.
  public enum Transform: Sendable, Equatable {
    /// y' = y + shift; 0 keeps y in [0, 1), −0.5 centers it (Glow).
    case shift(Double)
    /// y' = logit(α + (1 − 2α)·y) with 0 < α < ½, which keeps the logit finite at y = 0 and 1.
    case logit(alpha: Double)
  }

  /// Levels of the data: x ∈ {0 … bins − 1}.
  public let bins: Int
  public let transform: Transform

  public init(bins: Int, transform: Transform = .shift(0)) {
    precondition(bins >= 2, "dequantization needs at least 2 levels, got \(bins)")
    if case .logit(let alpha) = transform {
      precondition(alpha > 0 && alpha < 0.5, "logit alpha \(alpha) must be in (0, 0.5)")
    }
    self.bins = bins
    self.transform = transform
  }

  /// The noise of training step `step`.
  public static func trainingNoise(seed: UInt64, step: Int) -> RandomStream {
    RandomStream(seed: seed, purpose: .dequantization, major: 0, minor: step)
  }

  /// The one fixed noise of every evaluation, so validation and `laminar eval` are deterministic
  /// (and independent of the training steps' draws).
  public static func evaluationNoise(seed: UInt64) -> RandomStream {
    importanceNoise(seed: seed, draw: 0)
  }

  /// The noise of draw `draw` of an importance-weighted evaluation; draw 0 is the evaluation noise.
  public static func importanceNoise(seed: UInt64, draw: Int) -> RandomStream {
    RandomStream(seed: seed, purpose: .dequantization, major: 1, minor: draw)
  }

  /// log P(x) (a lower bound, in nats) from the model's log-density of y' and the summed
  /// preprocessing log-determinant Σ_j log|dy'_j/dy_j| of the same example(s):
  /// ```
  /// log P(x) = log p(y') + logDet − D·ln(bins)
  /// ```
  /// For a batch pass sums over its examples and `dimensions` = examples × D.
  public func dataLogLikelihood(model: Double, preprocessingLogDet: Double, dimensions: Int) -> Double {
    model + preprocessingLogDet - Double(dimensions) * log(Double(bins))
  }

  /// Dequantizes and transforms `values` in place and writes each example's preprocessing
  /// log-determinant.
  /// - Parameters:
  ///   - values: [examples.count, D] integer levels in, y' out.
  ///   - examples: the dataset index of each row: the key of its noise.
  ///   - logDeterminants: [examples.count] Σ_j log|dy'_j/dy_j| per row (0 for a shift).
  public func apply(to values: UnsafeMutableBufferPointer<Float>, examples: UnsafeBufferPointer<Int>,
                    noise: RandomStream, logDeterminants: UnsafeMutableBufferPointer<Double>) {
    precondition(!examples.isEmpty && values.count % examples.count == 0,
                 "\(values.count) values do not split into \(examples.count) examples")
    precondition(logDeterminants.count == examples.count,
                 "\(logDeterminants.count) log-determinants for \(examples.count) examples")
    guard let base = values.baseAddress else { return }
    let d = values.count / examples.count
    for (k, example) in examples.enumerated() {
      logDeterminants[k] = applyToRow(base + k * d, count: d, example: example, noise: noise)
    }
  }

  /// One example's row; returns its log-determinant. Noise comes 16 values at a time into a
  /// stack vector, so dequantizing allocates nothing.
  private func applyToRow(_ row: UnsafeMutablePointer<Float>, count d: Int, example: Int,
                          noise: RandomStream) -> Double {
    var logDet = 0.0
    var chunk = SIMD16<Float>()
    let scale = 1 / Double(bins)
    for start in stride(from: 0, to: d, by: 16) {
      let n = min(16, d - start)
      withUnsafeMutableBytes(of: &chunk) {
        noise.fillUniform(UnsafeMutableBufferPointer(rebasing: $0.bindMemory(to: Float.self)[0 ..< n]),
                          offset: RandomStream.offset(example: example, element: start))
      }
      for j in 0 ..< n {
        let y = (Double(row[start + j]) + Double(chunk[j])) * scale
        switch transform {
        case .shift(let shift):
          row[start + j] = Float(y + shift)
        case .logit(let alpha):
          let p = alpha + (1 - 2 * alpha) * y
          row[start + j] = Float(log(p) - log1p(-p))
          logDet += log1p(-2 * alpha) - log(p) - log1p(-p)
        }
      }
    }
    return logDet
  }

  /// Model-space values y' (e.g. samples) back to display intensities in [0, 1]: undo the
  /// transform, take the level `⌊y·bins⌋` clamped to 0 … bins − 1, and divide by bins − 1, so
  /// a sample shows the discrete image it falls in. NaN stays NaN.
  public func intensities(fromModel values: [Float]) -> [Float] {
    let top = Double(bins - 1)
    return values.map { v in
      let y: Double
      switch transform {
      case .shift(let shift): y = Double(v) - shift
      case .logit(let alpha): y = (1 / (1 + exp(-Double(v))) - alpha) / (1 - 2 * alpha)
      }
      guard !y.isNaN else { return .nan }
      return Float(min(max((y * Double(bins)).rounded(.down), 0), top) / top)
    }
  }
}
