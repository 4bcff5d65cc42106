import Graphics

/// LR-PSNR: how well a super-resolved image explains its low-resolution input. The prediction,
/// quantized to 8 bits, is degraded exactly as the training pairs were made and compared with
/// the LR input over every channel:
///
/// ```
/// LR-PSNR = PSNR(degrade(prediction), LR)
/// ```
/// A model consistent with its input scores high (SRFlow reports ≥ 45 dB); bicubic upscaling
/// of a bicubic LR does not reproduce it exactly.
///
/// Reference: Lugmayr et al. 2020, "SRFlow", §4 (LR-PSNR); Lugmayr et al. 2021 (NTIRE learning
/// the SR space challenge).
public enum LowResolutionConsistency {
  /// The mean squared error between `prediction` degraded by `factor` and `lowResolution`;
  /// feed it to a `PSNR.Summary` for the mean and pooled LR-PSNR.
  public static func meanSquaredError(prediction: Image, lowResolution: Image, degradation: Degradation,
                                      factor: Int) throws(MetricError) -> Double {
    let (w, h) = (lowResolution.width * factor, lowResolution.height * factor)
    guard prediction.width == w, prediction.height == h, prediction.channels == lowResolution.channels else {
      throw MetricError("the prediction is \(SuperResolutionFidelity.describe(prediction)) but ×\(factor) of its "
        + "\(SuperResolutionFidelity.describe(lowResolution)) input is \(w)×\(h)×\(lowResolution.channels); "
        + "pass the input the prediction was made from, with the model's scale factor")
    }
    let degraded = degradation.downscale(prediction, by: factor)
    return PSNR.meanSquaredError(degraded.pixels.map(Double.init), lowResolution.pixels.map(Double.init))
  }
}
