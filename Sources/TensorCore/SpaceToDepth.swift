/// The squeeze of multi-scale flows: space-to-depth on NCHW tensors and its inverse.
///
/// ```
/// squeeze: [N, C, H, W] → [N, C·f², H/f, W/f]
/// y[n, c·f² + dy·f + dx, i, j] = x[n, c, f·i + dy, f·j + dx]
/// ```
/// This is the channel order of Glow's `squeeze2d`: each input channel's f×f block becomes f²
/// consecutive output channels, row-major within the block. Both directions are one `Permute` of
/// a rank-6 view, so their gradients are the inverse permutation.
/// Reference: Dinh et al. 2017 (RealNVP), Kingma & Dhariwal 2018 (Glow).
public enum SpaceToDepth {
  /// [N, C, H, W] → [N, C·f², H/f, W/f]; H and W must be multiples of f.
  public static func squeezedShape(_ shape: Shape, factor f: Int) -> Shape {
    precondition(shape.rank == 4 && f > 0 && shape[2] % f == 0 && shape[3] % f == 0,
                 "squeeze by \(f) needs [N, C, H, W] with H and W multiples of \(f), got \(shape)")
    return Shape((shape[0], shape[1] * f * f, shape[2] / f, shape[3] / f))
  }

  /// [N, C, H, W] → [N, C/f², H·f, W·f]; C must be a multiple of f².
  public static func unsqueezedShape(_ shape: Shape, factor f: Int) -> Shape {
    precondition(shape.rank == 4 && f > 0 && shape[1] % (f * f) == 0,
                 "unsqueeze by \(f) needs [N, C, H, W] with C a multiple of \(f * f), got \(shape)")
    return Shape((shape[0], shape[1] / (f * f), shape[2] * f, shape[3] * f))
  }

  /// x: [N, C, H, W] (`shape`), y: [N, C·f², H/f, W/f]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func squeeze<S: TensorScalar>(
    _ x: UnsafePointer<S>, shape: Shape, factor f: Int, into y: UnsafeMutablePointer<S>
  ) {
    let (view, permutation) = squeezeView(shape, f)
    Permute.apply(x, shape: view, permutation: permutation, into: y)
  }

  /// `dx += unsqueeze(dy)`, the gradient of `squeeze`. dx: [N, C, H, W] (`shape`)
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateSqueezeGradient<S: TensorScalar>(
    _ dy: UnsafePointer<S>, shape: Shape, factor f: Int, into dx: UnsafeMutablePointer<S>
  ) {
    let (view, permutation) = squeezeView(shape, f)
    Permute.accumulateInverse(dy, shape: view, permutation: permutation, into: dx)
  }

  /// x: [N, C, H, W] (`shape`), y: [N, C/f², H·f, W·f]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func unsqueeze<S: TensorScalar>(
    _ x: UnsafePointer<S>, shape: Shape, factor f: Int, into y: UnsafeMutablePointer<S>
  ) {
    let (view, permutation) = unsqueezeView(shape, f)
    Permute.apply(x, shape: view, permutation: permutation, into: y)
  }

  /// `dx += squeeze(dy)`, the gradient of `unsqueeze`. dx: [N, C, H, W] (`shape`)
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateUnsqueezeGradient<S: TensorScalar>(
    _ dy: UnsafePointer<S>, shape: Shape, factor f: Int, into dx: UnsafeMutablePointer<S>
  ) {
    let (view, permutation) = unsqueezeView(shape, f)
    Permute.accumulateInverse(dy, shape: view, permutation: permutation, into: dx)
  }

  /// x as [N, C, H/f, f, W/f, f], permuted to [N, C, f, f, H/f, W/f].
  private static func squeezeView(_ shape: Shape, _ f: Int) -> (Shape, Shape) {
    let s = squeezedShape(shape, factor: f)
    return (Shape((s[0], shape[1], s[2], f, s[3], f)), Shape((0, 1, 3, 5, 2, 4)))
  }

  /// x as [N, C/f², f, f, H, W], permuted to [N, C/f², H, f, W, f].
  private static func unsqueezeView(_ shape: Shape, _ f: Int) -> (Shape, Shape) {
    let s = unsqueezedShape(shape, factor: f)
    return (Shape((shape[0], s[1], f, f, shape[2], shape[3])), Shape((0, 1, 4, 2, 5, 3)))
  }
}
