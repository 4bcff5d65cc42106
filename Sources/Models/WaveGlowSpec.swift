import Configuration
import Flows
import Support

/// A WaveGlow vocoder described by the `model` section of a config: audio [1, L] given its log-mel
/// [bands, 1 + L/hop].
///
/// ```yaml
/// model:
///   family: waveglow
///   groups: 8              # audio samples folded into channels
///   flows: 12              # steps of invertible 1×1 conv → affine coupling
///   early_every: 4         # after every k steps 2 channels leave the flow (0: never)
///   early_channels: 2
///   wn_layers: 8           # dilated conv layers of each coupling's WN (dilations 1, 2, 4, …)
///   wn_channels: 256       # WN residual channels
///   upsample_kernel: 1024  # the mel's transposed convolution (stride = the front end's hop, 256)
///   sigma: 1.0             # σ of the Gaussian prior in training
///   sampling_sigma: 0.6    # σ of the prior when generating (laminar vocode --sigma overrides it)
/// ```
/// Reference: Prenger et al. 2019 (WaveGlow), NVIDIA's defaults (12 flows, 8 groups, early 2 every 4,
/// WN 8 × 256 layers, σ 1.0 in training, 0.6 at inference).
public struct WaveGlowSpec: Sendable, Equatable {
  public var groups: Int
  public var flows: Int
  public var earlyEvery: Int
  public var earlyChannels: Int
  public var layers: Int
  public var width: Int
  public var upsampleKernel: Int
  public var sigma: Double
  public var samplingSigma: Double

  /// Samples per mel frame (the front end's hop).
  public static let hop = 256

  public init(config section: ConfigSection) throws(ConfigError) {
    groups = try section.int("groups", default: 8)
    flows = try section.int("flows", default: 12)
    earlyEvery = try section.int("early_every", default: 4)
    earlyChannels = try section.int("early_channels", default: 2)
    layers = try section.int("wn_layers", default: 8)
    width = try section.int("wn_channels", default: 256)
    upsampleKernel = try section.int("upsample_kernel", default: 1024)
    sigma = try section.double("sigma", default: 1.0)
    samplingSigma = try section.double("sampling_sigma", default: 0.6)
    try section.check(groups >= 2, "groups", "must be ≥ 2")
    try section.check(flows >= 1, "flows", "must be ≥ 1")
    try section.check(earlyEvery >= 0, "early_every", "must be ≥ 0 (0: no early outputs)")
    try section.check(earlyChannels >= 1, "early_channels", "must be ≥ 1")
    try section.check(layers >= 1 && layers <= 16, "wn_layers", "must be in 1…16 (dilation 2^(layers−1))")
    try section.check(width >= 1, "wn_channels", "must be ≥ 1")
    try section.check(upsampleKernel >= Self.hop, "upsample_kernel", "must be ≥ the hop of \(Self.hop) samples")
    try section.check(sigma > 0, "sigma", "must be > 0")
    try section.check(samplingSigma > 0, "sampling_sigma", "must be > 0")
    try section.check(remainingChannels >= 2, "early_channels",
                      "leaves \(remainingChannels) of \(groups) channels after the early outputs; at least 2 must remain")
    let perCoupling = MemoryBudget.product([layers, 2 * width, width, 4])
    try section.checkMemory(perCoupling.flatMap { MemoryBudget.product([$0, flows, MemoryBudget.bytesPerTrainedParameter]) },
                            "wn_channels", for: "the WN parameters of \(flows) flows", fix: "use fewer wn_channels, e.g. 256")
  }

  /// Channels left for the last flows once every early output has left.
  public var remainingChannels: Int {
    guard earlyEvery > 0 else { return groups }
    return groups - ((flows - 1) / earlyEvery) * earlyChannels
  }
}
