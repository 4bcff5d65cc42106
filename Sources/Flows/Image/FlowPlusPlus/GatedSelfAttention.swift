import Autodiff
import TensorCore

/// Multi-head self-attention over the P = H·W positions of an image, gated:
/// ```
/// [q, k, v] = conv1×1(x + E)                  E: [C, H, W] learned position embeddings
/// o_h = v_h · softmax(q_hᵀ k_h / √d)ᵀ          per head h, d = C / heads, by batched GEMM
/// out = gate(conv1×1(o)),    gate([u, g]) = u ⊙ σ(g)
/// ```
/// Queries, keys and values of all examples and heads are [N·heads, d, P] matrices, so the two
/// products are one batched GEMM each, and every intermediate lives in the tape's arena (no
/// allocation per step). Reference: Vaswani et al. 2017; Ho et al. 2019 (Flow++), §3.3.
public struct GatedSelfAttention: Sendable {
  /// [C, H, W]
  public let positionEmbedding: ParameterSlice
  public let projection: Conv2D
  public let output: Conv2D
  public let heads: Int

  public init<S: TensorScalar>(_ name: String, width: Int, heads: Int, positions: (height: Int, width: Int),
                               parameters: ParameterStore<S>) {
    precondition(heads >= 1 && width % heads == 0, "\(heads) attention heads must divide the width \(width)")
    positionEmbedding = parameters.add("\(name).position", shape: [width, positions.height, positions.width],
                                       initializer: .normal(standardDeviation: 0.01))
    projection = Conv2D("\(name).qkv", inChannels: width, outChannels: 3 * width, kernel: 1, parameters: parameters)
    output = Conv2D("\(name).out", inChannels: width, outChannels: 2 * width, kernel: 1, parameters: parameters)
    self.heads = heads
  }

  /// [batch, C, H, W] → the same shape.
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    let n = x.shape[0], c = x.shape[1], positions = x.shape[2] * x.shape[3], d = c / heads
    precondition(Shape([c, x.shape[2], x.shape[3]]) == positionEmbedding.shape,
                 "attention built for \(positionEmbedding.shape), got input \(x.shape)")
    // Shapes from `replacing`, slices one by one: no array literal, so no heap allocation per call.
    let rows = Shape(rank: 3, repeating: 1).replacing(axis: 0, with: n)
    let qkv = projection(x + x.tape.parameter(positionEmbedding))
      .reshaped(to: rows.replacing(axis: 1, with: 3).replacing(axis: 2, with: c * positions))
    let perHead = Shape(rank: 3, repeating: n * heads).replacing(axis: 1, with: d).replacing(axis: 2, with: positions)
    func part(_ i: Int) -> Variable<S> { qkv.sliced(alongAxis: 1, i ..< i + 1).reshaped(to: perHead) }
    let weights = part(0).batchedMatmul(part(1), transposeA: true).scaled(by: S(1 / Double(d).squareRoot()))
      .softmax(alongAxis: -1)
    let attended = part(2).batchedMatmul(weights, transposeB: true).reshaped(to: x.shape)
    return gated(output(attended))
  }
}
