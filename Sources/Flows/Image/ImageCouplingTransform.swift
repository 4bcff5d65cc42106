/// What an image coupling does to the updated half given its conditioner's output.
public enum ImageCouplingTransform: Sendable, Equatable {
  /// Additive or affine (`CouplingTransform`, shared with the vector couplings).
  case affine(CouplingTransform)
  /// Flow++'s logistic-mixture CDF with K components (`MixtureLogisticCDF`).
  case mixtureLogistic(components: Int)

  /// Conditioner outputs per updated channel.
  var outputsPerChannel: Int {
    switch self {
    case .affine(let t): return t.conditionerOutputsPerDimension
    case .mixtureLogistic(let k): return MixtureLogisticCDF(components: k).parametersPerChannel
    }
  }
}
