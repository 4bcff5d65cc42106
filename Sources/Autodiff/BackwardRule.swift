import TensorCore

/// The backward rule of one primitive op.
///
/// Rules are stateless types referenced by metatype from the tape's nodes, so recording an op
/// stores no closure and allocates nothing. A rule reads its inputs' values and its own gradient,
/// and accumulates (+=) into `tape.gradient(of:)` for each input that needs one.
public protocol BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>)
}

/// Small op parameters stored inline in a node (axes, strides, paddings, constants).
public struct OpAttributes: Sendable {
  private var storage: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
  /// A scalar constant (e.g. the factor of `scaled(by:)`), kept in Float64.
  public var constant: Double = 0
  /// A second shape an op needs to remember (e.g. the input shape before a reduction).
  public var shape: Shape = []

  public static let intCount = 8

  public init() {}

  public subscript(i: Int) -> Int {
    get {
      precondition(i >= 0 && i < Self.intCount, "attribute index \(i) out of range")
      return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) }
    }
    set {
      precondition(i >= 0 && i < Self.intCount, "attribute index \(i) out of range")
      withUnsafeMutableBytes(of: &storage) {
        $0.storeBytes(of: newValue, toByteOffset: i * MemoryLayout<Int>.stride, as: Int.self)
      }
    }
  }
}

/// One recorded value on the tape.
public struct Node<S: TensorScalar> {
  /// nil for leaves (inputs, constants, parameters).
  public let rule: (any BackwardRule.Type)?
  /// Ids of up to four inputs; `inputCount` of them are valid.
  public let inputs: (Int32, Int32, Int32, Int32)
  public let inputCount: Int
  public let shape: Shape
  /// [shape.count]
  public let value: UnsafeMutablePointer<S>
  /// [shape.count], nil until something accumulates into it.
  public internal(set) var gradient: UnsafeMutablePointer<S>?
  public let needsGradient: Bool
  public var attributes: OpAttributes
  /// Op-specific memory written in the forward pass and read in backward (e.g. im2col columns).
  public var saved: UnsafeMutablePointer<S>?

  public func input(_ i: Int) -> Int32 {
    precondition(i < inputCount, "input \(i) of a node with \(inputCount) inputs")
    switch i {
    case 0: return inputs.0
    case 1: return inputs.1
    case 2: return inputs.2
    default: return inputs.3
    }
  }

  /// The gradient flowing into this node; only valid inside `BackwardRule.backward`.
  public var upstream: UnsafePointer<S> { UnsafePointer(gradient!) }
}
