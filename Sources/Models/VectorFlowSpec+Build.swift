import Autodiff
import Flows
import TensorCore

extension VectorFlowSpec {
  /// Builds the model for examples of `dimension` features, registering its parameters in order.
  /// Random structure (permutations, LU rotations) is drawn from `seed`, so every rank builds the
  /// same model. With `conditionFeatures` C > 0 the model is conditional: its couplings read the
  /// condition [batch, C] and its base is a Gaussian whose mean and scale an MLP computes from it.
  public func build<S: TensorScalar>(
    dimension: Int, conditionFeatures: Int = 0, parameters: ParameterStore<S>, seed: UInt64
  ) -> FlowModel {
    precondition(dimension >= 2, "a vector flow needs at least 2 features, got \(dimension)")
    precondition(conditionFeatures == 0 || family == .realnvp || family == .nice,
                 "only coupling families read a condition")
    var layers: [any InvertibleFlowLayer] = []
    for i in 0..<self.layers {
      let name = "layer\(i)"
      if actnorm { layers.append(ActNorm("\(name).actnorm", channels: dimension, parameters: parameters)) }
      layers.append(transformLayer(name, index: i, dimension: dimension, conditionFeatures: conditionFeatures,
                                   parameters: parameters))
      if i < self.layers - 1, let mix = mixingLayer("\(name).mix", index: i, dimension: dimension,
                                                    parameters: parameters, seed: seed) {
        layers.append(mix)
      }
    }
    let base: any BaseDistribution
    switch (self.base, conditionFeatures) {
    case (_, 1...):
      base = ConditionalDiagonalGaussian("base", conditionFeatures: conditionFeatures, eventShape: [dimension],
                                         hidden: hidden, activation: activation, parameters: parameters)
    case (.standardNormal, _): base = StandardNormal()
    case (.diagonalGaussian, _): base = DiagonalGaussian("base", eventShape: [dimension], parameters: parameters)
    }
    return FlowModel(flow: InvertibleFlowSequence(layers), base: base, eventShape: [dimension],
                     conditionShape: conditionFeatures > 0 ? [conditionFeatures] : nil)
  }

  private func transformLayer<S: TensorScalar>(
    _ name: String, index: Int, dimension: Int, conditionFeatures: Int, parameters: ParameterStore<S>
  ) -> any InvertibleFlowLayer {
    switch family {
    case .realnvp, .nice:
      return VectorCoupling("\(name).coupling", dimension: dimension, parity: index % 2, hidden: hidden,
                            transform: transform, activation: activation, conditionFeatures: conditionFeatures,
                            parameters: parameters)
    case .maf:
      return MaskedAutoregressiveFlow("\(name).maf", dimension: dimension, hidden: hidden,
                                      activation: activation, logScaleBound: logScaleBound,
                                      parameters: parameters)
    case .iaf:
      return MaskedAutoregressiveFlow.inverseAutoregressive(
        "\(name).iaf", dimension: dimension, hidden: hidden, activation: activation,
        logScaleBound: logScaleBound, parameters: parameters)
    }
  }

  private func mixingLayer<S: TensorScalar>(
    _ name: String, index: Int, dimension: Int, parameters: ParameterStore<S>, seed: UInt64
  ) -> (any InvertibleFlowLayer)? {
    switch mixing {
    case .none: return nil
    case .reverse: return Permutation(.reverse, dimension: dimension, seed: seed, index: index)
    case .random: return Permutation(.random, dimension: dimension, seed: seed, index: index)
    case .linear: return InvertibleLinear(name, dimension: dimension, seed: seed, index: index, parameters: parameters)
    }
  }
}
