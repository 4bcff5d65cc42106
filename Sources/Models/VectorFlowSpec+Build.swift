import Autodiff
import Flows
import TensorCore

extension VectorFlowSpec {
  /// Builds the model for examples of `dimension` features, registering its parameters in order.
  /// Random structure (permutations, LU rotations) is drawn from `seed`, so every rank builds the
  /// same model.
  public func build<S: TensorScalar>(dimension: Int, parameters: ParameterStore<S>, seed: UInt64) -> FlowModel {
    precondition(dimension >= 2, "a vector flow needs at least 2 features, got \(dimension)")
    var layers: [any FlowLayer] = []
    for i in 0..<self.layers {
      let name = "layer\(i)"
      if actnorm { layers.append(ActNorm("\(name).actnorm", channels: dimension, parameters: parameters)) }
      layers.append(transformLayer(name, index: i, dimension: dimension, parameters: parameters))
      if i < self.layers - 1, let mix = mixingLayer("\(name).mix", index: i, dimension: dimension,
                                                    parameters: parameters, seed: seed) {
        layers.append(mix)
      }
    }
    let base: any BaseDistribution
    switch self.base {
    case .standardNormal: base = StandardNormal()
    case .diagonalGaussian: base = DiagonalGaussian("base", eventShape: [dimension], parameters: parameters)
    }
    return FlowModel(flow: FlowSequence(layers), base: base, eventShape: [dimension])
  }

  private func transformLayer<S: TensorScalar>(
    _ name: String, index: Int, dimension: Int, parameters: ParameterStore<S>
  ) -> any FlowLayer {
    switch family {
    case .realnvp, .nice:
      return VectorCoupling("\(name).coupling", dimension: dimension, parity: index % 2, hidden: hidden,
                            transform: transform, activation: activation, parameters: parameters)
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
  ) -> (any FlowLayer)? {
    switch mixing {
    case .none: return nil
    case .reverse: return Permutation(.reverse, dimension: dimension, seed: seed, index: index)
    case .random: return Permutation(.random, dimension: dimension, seed: seed, index: index)
    case .linear: return InvertibleLinear(name, dimension: dimension, seed: seed, index: index, parameters: parameters)
    }
  }
}
