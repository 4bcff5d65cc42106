import Autodiff
import Configuration
import Flows
import TensorCore

/// The `model` section of a config: a vector or an image flow, chosen by `model.family`. Each
/// family reads only its own keys, so a key of another family is rejected as unknown.
public enum ModelSpec: Sendable, Equatable {
  case vector(VectorFlowSpec)
  case image(ImageFlowSpec)
  case audio(WaveGlowSpec)

  public init(config section: ConfigSection) throws(ConfigError) {
    let family = try section.choice("family", of: ModelFamily.self)
    if family.rawValue == ModelFamily.waveglow {
      self = .audio(try WaveGlowSpec(config: section))
    } else if ImageFlowFamily(rawValue: family.rawValue) != nil {
      self = .image(try ImageFlowSpec(config: section))
    } else {
      self = .vector(try VectorFlowSpec(config: section))
    }
  }

  /// Why examples of `eventShape` (with conditions of `conditionShape`, if any) cannot be
  /// modelled (a message naming the family and the fix), or nil when they can.
  public func problem(with eventShape: Shape, conditionShape: Shape? = nil) -> String? {
    switch self {
    case .vector(let spec):
      guard eventShape.rank == 1 && eventShape[0] >= 2 else {
        return "model.family \(spec.family.rawValue) is a vector flow for [D] examples with D ≥ 2, but the data "
          + "has \(eventShape) examples; for images use family glow or realnvp_image"
      }
      guard let conditionShape else { return nil }
      guard spec.family == .realnvp || spec.family == .nice else {
        return "the data has conditions, but model.family \(spec.family.rawValue) reads none; use realnvp or nice"
      }
      guard conditionShape.rank == 1 else {
        return "vector flows read [C] conditions, but the data has \(conditionShape) conditions"
      }
      return nil
    case .image(let spec):
      guard conditionShape == nil else {
        return "model.family \(spec.family.rawValue) reads no condition, but the data has conditions"
      }
      return spec.problem(with: eventShape)
    case .audio(let spec):
      return spec.problem(with: eventShape, conditionShape: conditionShape)
    }
  }

  /// Builds the model for examples of `eventShape`; check `problem(with:conditionShape:)` first.
  public func build<S: TensorScalar>(
    eventShape: Shape, conditionShape: Shape? = nil, parameters: ParameterStore<S>, seed: UInt64
  ) -> FlowModel {
    if let problem = problem(with: eventShape, conditionShape: conditionShape) { preconditionFailure(problem) }
    switch self {
    case .vector(let spec):
      return spec.build(dimension: eventShape[0], conditionFeatures: conditionShape?.count ?? 0,
                        parameters: parameters, seed: seed)
    case .image(let spec): return spec.build(eventShape: eventShape, parameters: parameters, seed: seed)
    case .audio(let spec): return spec.build(eventShape: eventShape, conditionShape: conditionShape!, parameters: parameters)
    }
  }
}

/// Every family name, vector and image, so that a misspelt family is answered with all choices.
struct ModelFamily: RawRepresentable, CaseIterable {
  let rawValue: String

  init?(rawValue: String) {
    guard Self.names.contains(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  /// The vocoder family (`WaveGlowSpec`).
  static let waveglow = "waveglow"

  private static let names = VectorFlowFamily.allCases.map(\.rawValue) + ImageFlowFamily.allCases.map(\.rawValue)
    + [waveglow]
  static var allCases: [ModelFamily] { names.map { ModelFamily(rawValue: $0)! } }
}
