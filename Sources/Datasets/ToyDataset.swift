import TensorCore

/// `count` points of a `ToyDistribution`, generated on demand: example `i` is a pure function
/// of (distribution, seed, i), so any rank produces any example without generating the others,
/// and a dataset of 1,000 points is the first 1,000 points of one of 10,000.
///
/// Draws (DESIGN §5 keying): the 4 uniforms of example `i` are values `offset(example: i) + 0…3`
/// of stream `(seed, .toyData, major: distribution, minor: 0)`, its 2 normals values
/// `offset(example: i) + 0…1` of the stream with `minor: 1`.
///
/// A labelled set (`labelled: true`) gives each point its mixture component as a one-hot
/// condition [K] (which moon, which ring), for class-conditional models.
public struct ToyDataset: ExampleSource {
  public let distribution: ToyDistribution
  public let count: Int
  public let seed: UInt64
  /// Whether each example carries its component as a one-hot condition.
  public let labelled: Bool
  private let uniforms: RandomStream
  private let normals: RandomStream

  public init(_ distribution: ToyDistribution, count: Int, seed: UInt64, labelled: Bool = false) {
    precondition(count >= 0 && count <= Int(UInt32.max), "count \(count) must be in 0...2^32-1")
    self.distribution = distribution
    self.count = count
    self.seed = seed
    self.labelled = labelled
    let major = ToyDistribution.allCases.firstIndex(of: distribution)!
    uniforms = RandomStream(seed: seed, purpose: .toyData, major: major, minor: 0)
    normals = RandomStream(seed: seed, purpose: .toyData, major: major, minor: 1)
  }

  /// [2]
  public var exampleShape: Shape { [2] }

  /// [K] one-hot component for a labelled set.
  public var conditionShape: Shape? { labelled ? [distribution.components] : nil }

  /// Example `index`, computed in Float64.
  public func example(_ index: Int) -> SIMD2<Double> {
    distribution.point(uniforms: uniforms(of: index), normals: normals(of: index))
  }

  /// The mixture component of example `index`.
  public func component(_ index: Int) -> Int {
    distribution.component(uniforms: uniforms(of: index))
  }

  private func uniforms(of index: Int) -> SIMD4<Double> {
    precondition(index >= 0 && index < count, "example \(index) is out of range 0..<\(count)")
    var u = SIMD4<Double>()
    withUnsafeMutableBytes(of: &u) {
      uniforms.fillUniform($0.bindMemory(to: Double.self), offset: RandomStream.offset(example: index))
    }
    return u
  }

  private func normals(of index: Int) -> SIMD2<Double> {
    var n = SIMD2<Double>()
    withUnsafeMutableBytes(of: &n) {
      normals.fillNormal($0.bindMemory(to: Double.self), offset: RandomStream.offset(example: index))
    }
    return n
  }

  /// out: [indices.count, 2]
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    precondition(out.count == 2 * indices.count, "buffer holds \(out.count) floats, \(indices.count) points need \(2 * indices.count)")
    for (k, index) in indices.enumerated() {
      let point = example(index)
      out[2 * k] = Float(point.x)
      out[2 * k + 1] = Float(point.y)
    }
  }

  /// out: [indices.count, K], one-hot.
  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    let k = distribution.components
    precondition(labelled, "an unlabelled toy set has no conditions")
    precondition(out.count == k * indices.count, "buffer holds \(out.count) floats, \(indices.count) one-hots need \(k * indices.count)")
    out.update(repeating: 0)
    for (row, index) in indices.enumerated() { out[row * k + component(index)] = 1 }
  }
}
