/// A translation of planes [height, width] by (dy, dx) with zero fill:
/// ```
/// shifted[y, x] = plane[y + dy, x + dx]   where 0 ≤ y + dy < height and 0 ≤ x + dx < width, else 0
/// ```
/// Every tap of a stride-1 convolution whose output is as large as its input ("same" padding)
/// moves data this way, for im2col and for the shift-and-add of `ShiftConvolution`.
///
/// In flat indices the source of position p is p + `delta` for every valid p, so a whole plane is
/// one branch-free pass that selects through a 0/1 mask of the valid positions, instead of a copy
/// and zero fill per image row (which on 4×4 and 2×2 images cost more in calls than in data).
struct PlaneShift {
  let height: Int
  let width: Int
  let dy: Int
  let dx: Int

  var pixels: Int { height * width }
  /// Flat offset from a position to its source.
  var delta: Int { dy * width + dx }
  /// No position has a source inside the plane.
  var isEmpty: Bool { abs(dy) >= height || abs(dx) >= width }

  /// The shift that reads back where this one wrote: adding `reversed` of a shifted plane is the
  /// adjoint of this shift's copy.
  var reversed: PlaneShift { PlaneShift(height: height, width: width, dy: -dy, dx: -dx) }

  /// mask [height, width]: 1 where the position has a source inside the plane, else 0.
  @_specialize(where S == Float) @_specialize(where S == Double)
  func writeMask<S: TensorScalar>(into mask: UnsafeMutablePointer<S>) {
    for y in 0..<height {
      let rowInside = y + dy >= 0 && y + dy < height
      for x in 0..<width {
        mask[y * width + x] = rowInside && x + dx >= 0 && x + dx < width ? 1 : 0
      }
    }
  }

  /// The positions q whose flat source q + delta lies inside the plane; the mask is 0 outside it.
  var readableRange: Range<Int> { Swift.max(0, -delta)..<Swift.min(pixels, pixels - delta) }

  // Both kernels below load unconditionally so that they vectorize (masked values are discarded).
  // A plane between two others of the same buffer reads at most `pixels` − 1 past either end,
  // inside its neighbours; the first and the last plane read only within `readableRange`.

  /// For b in 0..<count: dst[b · dstStride + p] = shifted plane src + b · srcStride (mask from
  /// `writeMask`). Plane strides are at least `pixels`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  func copy<S: TensorScalar>(
    _ src: UnsafePointer<S>, srcStride: Int, into dst: UnsafeMutablePointer<S>, dstStride: Int,
    count: Int, mask: UnsafePointer<S>
  ) {
    let p = pixels, d = delta
    guard !isEmpty else {
      for b in 0..<count { (dst + b * dstStride).update(repeating: 0, count: p) }
      return
    }
    let edge = readableRange
    for b in 0..<count {
      let s = src + b * srcStride + d, t = dst + b * dstStride
      if b == 0 || b == count - 1 {
        for q in 0..<edge.lowerBound { t[q] = 0 }
        for q in edge {
          let v = s[q]
          t[q] = mask[q] != 0 ? v : 0
        }
        for q in edge.upperBound..<p { t[q] = 0 }
      } else {
        for q in 0..<p {
          let v = s[q]
          t[q] = mask[q] != 0 ? v : 0
        }
      }
    }
  }

  /// For b in 0..<count: dst[b · dstStride + p] += shifted plane src + b · srcStride (mask from
  /// `writeMask`). Plane strides are at least `pixels`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  func add<S: TensorScalar>(
    _ src: UnsafePointer<S>, srcStride: Int, into dst: UnsafeMutablePointer<S>, dstStride: Int,
    count: Int, mask: UnsafePointer<S>
  ) {
    guard !isEmpty else { return }
    let p = pixels, d = delta, edge = readableRange
    for b in 0..<count {
      let s = src + b * srcStride + d, t = dst + b * dstStride
      if b == 0 || b == count - 1 {
        for q in edge {
          let v = s[q]
          t[q] += mask[q] != 0 ? v : 0
        }
      } else {
        for q in 0..<p {
          let v = s[q]
          t[q] += mask[q] != 0 ? v : 0
        }
      }
    }
  }
}
