import Flows
/// The two multi-scale image flow designs `MultiScaleArchitecture` builds.
public enum MultiScaleStyle: String, Sendable, CaseIterable, Codable {
  /// Per level: squeeze, K steps of actnorm → channel mixing → channel coupling, split.
  /// Reference: Kingma & Dhariwal 2018.
  case glow
  /// Per level: K checkerboard couplings, squeeze, K channel couplings, split; the last level
  /// has K + 1 checkerboard couplings. Reference: Dinh et al. 2017.
  case realnvp
}

/// What mixes the channels before each coupling of a Glow step.
public enum ChannelMixing: String, Sendable, CaseIterable, Codable {
  /// Reverse the channel order (Glow's `reverse`).
  case reverse
  /// A fixed random channel permutation per step, drawn from the model seed (Glow's `shuffle`).
  case random
  /// An invertible 1×1 convolution with an unconstrained weight (`InvertibleConv1x1`).
  case conv1x1
  /// An LU-parameterized invertible 1×1 convolution (`InvertibleConv1x1LU`).
  case conv1x1LU = "conv1x1_lu"
}

/// The prior of the latent left at the deepest level.
public enum TopPrior: String, Sendable, CaseIterable, Codable {
  case standardNormal = "standard_normal"
  /// A learned mean and log-std per entry (`LearnedPrior`).
  case learned
}

/// The prior of the channels factored out at each split (see `FactoredPrior`).
public enum SplitPrior: String, Sendable, CaseIterable, Codable {
  case standardNormal = "standard_normal"
  /// A learned mean and log-std per entry, independent of the kept channels.
  case learned
  /// Mean and log-std from the kept channels by a zero-initialized 3×3 convolution (Glow).
  case conditional
}
