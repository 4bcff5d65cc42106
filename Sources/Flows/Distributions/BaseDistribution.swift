import Autodiff
import TensorCore

/// The latent distribution p_Z of a flow.
public protocol BaseDistribution: Sendable {
  /// [batch] log p(z | c).
  func logProbability<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> Variable<S>
  /// `count` samples of the given event shape; `temperature` scales the standard deviation.
  func sample<S: TensorScalar>(
    count: Int, eventShape: Shape, on tape: Tape<S>, condition: Variable<S>?,
    temperature: Double, noise: RandomStream, firstExample: Int) -> Variable<S>
}

extension Tape {
  /// [count, eventShape…] standard normal noise; example i uses stream offset of example
  /// `firstExample + i`, so the draw does not depend on how a batch is split across ranks.
  func standardNormal(count: Int, eventShape: Shape, noise: RandomStream, firstExample: Int) -> Variable<S> {
    var shape = Shape(rank: eventShape.rank + 1, repeating: count)
    for i in 0..<eventShape.rank { shape[i + 1] = eventShape[i] }
    let perExample = eventShape.count
    let buffer = arena.allocate(shape.count)
    for i in 0..<count {
      noise.fillNormal(UnsafeMutableBufferPointer(start: buffer + i * perExample, count: perExample),
                       offset: RandomStream.offset(example: firstExample + i))
    }
    return input(UnsafeBufferPointer(start: buffer, count: shape.count), shape: shape)
  }
}
