/// The five PNG scanline filters (filter method 0) and the encoder's per-row choice among them.
///
/// Each filter predicts a byte from its left neighbour `a`, the byte above `b` and the one above-left
/// `c` (a whole pixel back, or zero outside the image) and stores the difference modulo 256.
/// Reference: PNG specification (W3C, 2003), section 9.
enum PNGFilter: UInt8, CaseIterable {
  case none = 0, sub, up, average, paeth

  /// The Paeth predictor: whichever of a, b, c is closest to a + b − c (ties prefer a, then b).
  @inline(__always)
  static func paethPredictor(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
    let p = Int(a) + Int(b) - Int(c)
    let pa = abs(p - Int(a))
    let pb = abs(p - Int(b))
    let pc = abs(p - Int(c))
    if pa <= pb && pa <= pc { return a }
    return pb <= pc ? b : c
  }

  /// The prediction for byte `i` of a row, given the raw current and previous rows.
  @inline(__always)
  func predict(_ row: UnsafeBufferPointer<UInt8>, _ previous: UnsafeBufferPointer<UInt8>, _ i: Int,
               bytesPerPixel: Int) -> UInt8 {
    let a = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0
    let b = previous[i]
    switch self {
    case .none: return 0
    case .sub: return a
    case .up: return b
    case .average: return UInt8((Int(a) + Int(b)) / 2)
    case .paeth:
      let c = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0
      return PNGFilter.paethPredictor(a, b, c)
    }
  }

  /// Filters a raw row into `output` (same length).
  func apply(_ row: UnsafeBufferPointer<UInt8>, previous: UnsafeBufferPointer<UInt8>, bytesPerPixel: Int,
             into output: UnsafeMutableBufferPointer<UInt8>) {
    for i in 0..<row.count {
      output[i] = row[i] &- predict(row, previous, i, bytesPerPixel: bytesPerPixel)
    }
  }

  /// Reverses the filter in place: `row` holds filtered bytes on entry and raw bytes on return.
  /// Bytes are restored left to right, so the predictor always sees already restored neighbours.
  func undo(_ row: UnsafeMutableBufferPointer<UInt8>, previous: UnsafeBufferPointer<UInt8>, bytesPerPixel: Int) {
    let restored = UnsafeBufferPointer(row)
    for i in 0..<row.count {
      row[i] = row[i] &+ predict(restored, previous, i, bytesPerPixel: bytesPerPixel)
    }
  }

  /// The filter whose output has the smallest sum of |byte| read as signed — the spec's suggested
  /// heuristic, since small differences compress best — and that output.
  static func bestFilter(for row: UnsafeBufferPointer<UInt8>, previous: UnsafeBufferPointer<UInt8>,
                         bytesPerPixel: Int, scratch: UnsafeMutableBufferPointer<UInt8>,
                         into output: UnsafeMutableBufferPointer<UInt8>) -> PNGFilter {
    var best = PNGFilter.none
    var bestScore = Int.max
    for filter in PNGFilter.allCases {
      filter.apply(row, previous: previous, bytesPerPixel: bytesPerPixel, into: scratch)
      var score = 0
      for byte in scratch { score += abs(Int(Int8(bitPattern: byte))) }
      if score < bestScore {
        best = filter
        bestScore = score
        _ = output.update(fromContentsOf: scratch)
      }
    }
    return best
  }
}
