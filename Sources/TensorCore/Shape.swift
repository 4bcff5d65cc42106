/// A tensor shape of rank 0...6, stored inline so that building one never allocates.
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
  public static let maxRank = 6
  public private(set) var rank: Int
  private var dims: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)

  public init(_ dimensions: [Int]) {
    precondition(dimensions.count <= Shape.maxRank, "rank \(dimensions.count) exceeds \(Shape.maxRank)")
    rank = dimensions.count
    for i in 0..<dimensions.count { self[i] = dimensions[i] }
  }

  public init(arrayLiteral elements: Int...) { self.init(elements) }

  public init(rank: Int, repeating value: Int) {
    precondition(rank <= Shape.maxRank, "rank \(rank) exceeds \(Shape.maxRank)")
    self.rank = rank
    for i in 0..<rank { self[i] = value }
  }

  public subscript(i: Int) -> Int {
    get {
      precondition(i >= 0 && i < rank, "axis \(i) out of range for rank \(rank)")
      return withUnsafeBytes(of: dims) { $0.load(fromByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) }
    }
    set {
      precondition(i >= 0 && i < rank, "axis \(i) out of range for rank \(rank)")
      withUnsafeMutableBytes(of: &dims) { $0.storeBytes(of: newValue, toByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) }
    }
  }

  /// Number of elements (1 for a scalar).
  public var count: Int {
    var n = 1
    for i in 0..<rank { n *= self[i] }
    return n
  }

  public var dimensions: [Int] { (0..<rank).map { self[$0] } }

  /// Resolves a negative axis (-1 = last).
  public func axis(_ a: Int) -> Int {
    let r = a < 0 ? a + rank : a
    precondition(r >= 0 && r < rank, "axis \(a) out of range for rank \(rank)")
    return r
  }

  /// Product of the dimensions before `axis`.
  public func outerCount(before axis: Int) -> Int {
    var n = 1
    for i in 0..<axis { n *= self[i] }
    return n
  }

  /// Product of the dimensions after `axis`.
  public func innerCount(after axis: Int) -> Int {
    var n = 1
    for i in (axis + 1)..<max(axis + 1, rank) { n *= self[i] }
    return n
  }

  /// Row-major strides.
  public var strides: Shape {
    var s = Shape(rank: rank, repeating: 1)
    var acc = 1
    for i in stride(from: rank - 1, through: 0, by: -1) { s[i] = acc; acc *= self[i] }
    return s
  }

  public func replacing(axis: Int, with value: Int) -> Shape {
    var s = self
    s[axis] = value
    return s
  }

  public static func == (a: Shape, b: Shape) -> Bool {
    guard a.rank == b.rank else { return false }
    for i in 0..<a.rank where a[i] != b[i] { return false }
    return true
  }

  public func hash(into h: inout Hasher) {
    h.combine(rank)
    for i in 0..<rank { h.combine(self[i]) }
  }

  public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }
}
