import Foundation
import Support
import Training
import VariationalTargets

/// The figures a VI run ends with: the estimates of log Z against the truth.
public struct VariationalSummary: Sendable {
  public let spec: VariationalRunSpec
  public let estimate: VariationalEstimate
  /// The reference log Z (`VariationalTarget.referenceLogPartition`).
  public let trueLogPartition: Double
  public let trainingSeconds: Double
  public let skippedSteps: Int
  public let worldSize: Int

  public init(spec: VariationalRunSpec, estimate: VariationalEstimate, trueLogPartition: Double,
              trainingSeconds: Double, skippedSteps: Int, worldSize: Int) {
    self.spec = spec
    self.estimate = estimate
    self.trueLogPartition = trueLogPartition
    self.trainingSeconds = trainingSeconds
    self.skippedSteps = skippedSteps
    self.worldSize = worldSize
  }

  /// How the true log Z was obtained.
  public var trueLogPartitionSource: String {
    spec.target.energy.exactLogPartition != nil
      ? "closed form"
      : "midpoint rule on \(VariationalTarget.referenceResolution)x\(VariationalTarget.referenceResolution) cells"
  }

  /// The lines printed at the end of a run.
  public var lines: [String] {
    let z = trueLogPartition, e = estimate
    return [
      "target \(spec.target.rawValue), \(spec.flow.family.rawValue) flow with \(spec.flow.layers) layers, "
        + "\(e.samples) samples from q",
      String(format: "  true log Z        %9.4f   ", z) + "(\(trueLogPartitionSource))",
      String(format: "  ELBO              %9.4f   gap %+.4f  (KL(q||p) = %.4f)", e.elbo, e.elbo - z, z - e.elbo),
      String(format: "  log Z (IS)        %9.4f   gap %+.4f  (ESS %.0f of %d = %.1f%%)", e.logPartition,
             e.logPartition - z, e.effectiveSampleSize, e.samples, 100 * e.effectiveSampleSize / Double(e.samples)),
    ]
  }

  /// The content of `vi-summary.json`.
  public var json: JSONValue {
    let e = estimate
    return .object([
      JSONField("target", .string(spec.target.rawValue)),
      JSONField("flow", .string(spec.flow.family.rawValue)),
      JSONField("layers", .int(spec.flow.layers)),
      JSONField("steps", .int(spec.trainer.steps)),
      JSONField("batch_size", .int(spec.trainer.globalBatch)),
      JSONField("ranks", .int(worldSize)),
      JSONField("samples", .int(e.samples)),
      JSONField("true_log_z", .number(trueLogPartition)),
      JSONField("true_log_z_source", .string(trueLogPartitionSource)),
      JSONField("elbo", .number(e.elbo)),
      JSONField("elbo_gap", .number(e.elbo - trueLogPartition)),
      JSONField("log_z_importance", .number(e.logPartition)),
      JSONField("log_z_importance_gap", .number(e.logPartition - trueLogPartition)),
      JSONField("effective_sample_size", .number(e.effectiveSampleSize)),
      JSONField("skipped_steps", .int(skippedSteps)),
      JSONField("training_seconds", .number(trainingSeconds)),
    ])
  }
}
