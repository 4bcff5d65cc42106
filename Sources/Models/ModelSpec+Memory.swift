import Configuration
import Support
import TensorCore

/// Lower bounds of a model's training memory read from its config keys, checked against
/// `MemoryBudget` before a parameter is allocated (issue 11: `hidden: [100000000, 100000000]`
/// ended in "failed to allocate").
enum ParameterBudget {
  /// The weights between consecutive hidden layers of one MLP conditioner plus their biases
  /// (the input and output layers, which depend on the data, come on top); nil on overflow.
  static func mlpParameters(_ hidden: [Int]) -> Int? {
    let weights = zip(hidden, hidden.dropFirst()).map { MemoryBudget.product([$0, $1]) }
    return MemoryBudget.sum(weights + [MemoryBudget.sum(hidden)])
  }

  /// Checks one conditioner of `hidden` widths, then `layers` of them.
  static func checkMLP(_ section: ConfigSection, hidden: [Int], layers: Int) throws(ConfigError) {
    let one = mlpParameters(hidden)
    try section.checkMemory(bytes([one]), "hidden", for: "one conditioner's parameters (with gradients and Adam moments)",
                            fix: "use narrower hidden layers, e.g. [64, 64]")
    try section.checkMemory(bytes([one, layers]), "layers", for: "the parameters of \(layers) layers",
                            fix: "use fewer layers or narrower hidden layers")
  }

  /// Image flows: every step's coupling holds at least one 3×3 convolution of width → width.
  static func checkConvolutions(_ section: ConfigSection, width: Int, steps: Int, levels: Int) throws(ConfigError) {
    let one = MemoryBudget.product([9, width, width])
    try section.checkMemory(bytes([one]), "width", for: "one coupling's convolution parameters",
                            fix: "use a smaller width, e.g. 64")
    try section.checkMemory(bytes([one, steps]), "steps", for: "the parameters of one level's \(steps) steps",
                            fix: "use fewer steps per level, e.g. 4")
    try section.checkMemory(bytes([one, steps, levels]), "levels",
                            for: "the parameters of \(levels) levels × \(steps) steps", fix: "use fewer levels, e.g. 2")
  }

  /// Bytes of the product of `factors` parameters while training; nil on overflow.
  private static func bytes(_ factors: [Int?]) -> Int? {
    let known = factors.compactMap { $0 }
    guard known.count == factors.count else { return nil }
    return MemoryBudget.product(known + [MemoryBudget.bytesPerTrainedParameter])
  }
}

extension ModelSpec {
  /// A lower bound of the Float32 activations one example leaves on the tape for the backward
  /// pass: every layer's hidden units (vector flows), or one width-channel feature map at the
  /// first squeezed resolution per step (image flows); nil on overflow.
  public func activationsPerExample(eventShape: Shape) -> Int? {
    switch self {
    case .vector(let spec):
      guard let units = MemoryBudget.sum(spec.hidden + [eventShape.count]) else { return nil }
      return MemoryBudget.product([units, spec.layers])
    case .image(let spec):
      let a = spec.architecture
      let pixels = eventShape.rank == 3 ? max(1, eventShape[1] / 2) * max(1, eventShape[2] / 2) : 1
      return MemoryBudget.product([a.width, pixels, a.steps])
    case .superResolution(let spec):
      let pixels = eventShape.rank == 3 ? max(1, eventShape[1] / 2) * max(1, eventShape[2] / 2) : 1
      return MemoryBudget.product([spec.width, pixels, spec.steps, spec.injector ? 2 : 1])
    case .audio(let spec):
      // Each WN layer keeps about six width-channel maps per folded frame (conv, gate, res/skip).
      return MemoryBudget.product([6, spec.width, spec.layers, spec.flows, max(1, eventShape.count / spec.groups)])
    }
  }
}
