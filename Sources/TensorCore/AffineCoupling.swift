/// How an affine coupling turns the conditioner's raw scale output h into the log-scale s, and
/// in which order it scales and shifts.
///
/// ```
/// none:     z = x + t
/// exp:      s = h,                 z = x · eˢ + t
/// tanh:     s = B · tanh(h / B),   z = x · eˢ + t
/// sigmoid:  s = log σ(h + 2),      z = (x + t) · eˢ      (Glow: shift first)
/// ```
public enum CouplingScale: Int, Sendable, CaseIterable {
  case none, exp, tanh, sigmoid

  /// s(h); `bound` is B of the tanh map.
  @inline(__always)
  func logScale<S: TensorScalar>(_ h: S, bound: S) -> S {
    switch self {
    case .none: return 0
    case .exp: return h
    case .tanh: return bound * S.tanh(h / bound)
    case .sigmoid: return Logistic.logSigmoid(h + 2)
    }
  }

  /// ds/dh given h and s(h).
  @inline(__always)
  func derivative<S: TensorScalar>(_ h: S, logScale s: S, bound: S) -> S {
    switch self {
    case .none: return 0
    case .exp: return 1
    case .tanh: return 1 - (s / bound) * (s / bound)
    // d/dh log σ(h + 2) = 1 − σ(h + 2) = σ(−h − 2), accurate where σ(h + 2) rounds to 1.
    case .sigmoid: return Logistic.sigmoid(-h - 2)
    }
  }
}

/// Which way an affine coupling runs: `forward` is the map above, `inverse` undoes it
/// (`x = (z − t) · e⁻ˢ`, or `x = z · e⁻ˢ − t` for the shift-first map).
public enum CouplingDirection: Int, Sendable, CaseIterable {
  case forward, inverse
}

/// Where an affine coupling reads its parameters: the raw log-scale of updated column j from
/// column `scaleOffset + j` of one buffer, its shift from column `shiftOffset + j` of another (or
/// of the same one, e.g. a conditioner output holding both).
public struct CouplingMap: Sendable, Equatable {
  public var scale: CouplingScale
  /// B of the tanh map; ignored by the others.
  public var bound: Double
  public var scaleOffset: Int
  public var shiftOffset: Int

  public init(scale: CouplingScale, bound: Double = 1, scaleOffset: Int, shiftOffset: Int) {
    precondition(bound > 0, "coupling scale bound must be positive, got \(bound)")
    precondition(scaleOffset >= 0 && shiftOffset >= 0,
                 "coupling offsets must be non-negative, got \(scaleOffset) and \(shiftOffset)")
    self.scale = scale
    self.bound = bound
    self.scaleOffset = scaleOffset
    self.shiftOffset = shiftOffset
  }
}

/// The sizes of one coupling: x and its output are [rows, dimension], the log-scale source is
/// [rows, scaleWidth] and the shift source [rows, shiftWidth].
public struct CouplingLayout: Sendable {
  public var map: CouplingMap
  public var rows: Int
  public var dimension: Int
  public var scaleWidth: Int
  public var shiftWidth: Int

  public init(_ map: CouplingMap, rows: Int, dimension: Int, scaleWidth: Int, shiftWidth: Int) {
    self.map = map
    self.rows = rows
    self.dimension = dimension
    self.scaleWidth = scaleWidth
    self.shiftWidth = shiftWidth
  }
}

/// Kernels of the fused affine coupling: the transform of the updated columns and the per-row sum
/// of log-scales (its log-determinant), with their gradients.
///
/// Reference: Dinh et al. 2017 (RealNVP); Kingma & Dhariwal 2018 (Glow's shift-first map).
public enum AffineCoupling {
  /// `y[:, updated[j]] = g(x[:, updated[j]]; s, t)` in `direction`, `y[:, kept[i]] = x[:, kept[i]]`.
  ///
  /// x, y: [rows, dimension]; hs: [rows, scaleWidth]; ht: [rows, shiftWidth];
  /// updated: [updatedCount]; kept: [keptCount]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func apply<S: TensorScalar>(
    _ layout: CouplingLayout, _ direction: CouplingDirection, x: UnsafePointer<S>,
    logScale hs: UnsafePointer<S>, shift ht: UnsafePointer<S>, updated: UnsafePointer<Int>,
    updatedCount: Int, kept: UnsafePointer<Int>, keptCount: Int, into y: UnsafeMutablePointer<S>
  ) {
    let d = layout.dimension, ws = layout.scaleWidth, wt = layout.shiftWidth
    let bound = S(layout.map.bound), scale = layout.map.scale
    passThrough(x, into: y, columns: kept, count: keptCount, rows: layout.rows, dimension: d, adding: false)
    let shiftFirst = scale == .sigmoid, inverse = direction == .inverse
    for j in 0..<updatedCount {
      let c = updated[j], so = layout.map.scaleOffset + j, to = layout.map.shiftOffset + j
      for r in 0..<layout.rows {
        let xi = x[r * d + c], t = ht[r * wt + to]
        let s = scale.logScale(hs[r * ws + so], bound: bound)
        let e = S.exp(inverse ? -s : s)
        switch (shiftFirst, inverse) {
        case (false, false): y[r * d + c] = xi * e + t
        case (false, true): y[r * d + c] = (xi - t) * e
        case (true, false): y[r * d + c] = (xi + t) * e
        case (true, true): y[r * d + c] = xi * e - t
        }
      }
    }
  }

  /// Accumulates the gradients of `apply` into those of dx, dhs (log-scale source) and dht (shift
  /// source) that are non-nil, reading the output y instead of x:
  /// ```
  /// forward:  dx += dy·eˢ   dt += dy (dy·eˢ shift-first)   dh_s += dy·(y − t)·s′ (dy·y·s′)
  /// inverse:  dx += dy·e⁻ˢ  dt −= dy·e⁻ˢ (dy)              dh_s −= dy·y·s′ (dy·(y + t)·s′)
  /// ```
  /// y, dy, dx: [rows, dimension]; hs, dhs: [rows, scaleWidth]; ht, dht: [rows, shiftWidth].
  /// dhs and dht may be the same buffer (one conditioner output holding both).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateGradients<S: TensorScalar>(
    _ layout: CouplingLayout, _ direction: CouplingDirection, output y: UnsafePointer<S>,
    logScale hs: UnsafePointer<S>, shift ht: UnsafePointer<S>, upstream dy: UnsafePointer<S>,
    updated: UnsafePointer<Int>, updatedCount: Int, kept: UnsafePointer<Int>, keptCount: Int,
    dx: UnsafeMutablePointer<S>?, dLogScale dhs: UnsafeMutablePointer<S>?,
    dShift dht: UnsafeMutablePointer<S>?
  ) {
    let d = layout.dimension, ws = layout.scaleWidth, wt = layout.shiftWidth
    let bound = S(layout.map.bound), scale = layout.map.scale
    if let dx { passThrough(dy, into: dx, columns: kept, count: keptCount, rows: layout.rows, dimension: d, adding: true) }
    let shiftFirst = scale == .sigmoid, inverse = direction == .inverse
    for j in 0..<updatedCount {
      let c = updated[j], so = layout.map.scaleOffset + j, to = layout.map.shiftOffset + j
      for r in 0..<layout.rows {
        let g = dy[r * d + c], yi = y[r * d + c], h = hs[r * ws + so], t = ht[r * wt + to]
        let s = scale.logScale(h, bound: bound)
        let e = inverse ? S.exp(-s) : S.exp(s)
        dx?[r * d + c] += g * e
        let ds = scale.derivative(h, logScale: s, bound: bound)
        switch (shiftFirst, inverse) {
        case (false, false):
          dht?[r * wt + to] += g
          dhs?[r * ws + so] += g * (yi - t) * ds
        case (false, true):
          dht?[r * wt + to] -= g * e
          dhs?[r * ws + so] -= g * yi * ds
        case (true, false):
          dht?[r * wt + to] += g * e
          dhs?[r * ws + so] += g * yi * ds
        case (true, true):
          dht?[r * wt + to] -= g
          dhs?[r * ws + so] -= g * (yi + t) * ds
        }
      }
    }
  }

  /// `y[:, columns[i]] = x[:, columns[i]]`, or `+=` when `adding`; x, y: [rows, dimension]
  @inline(__always)
  private static func passThrough<S: TensorScalar>(
    _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, columns: UnsafePointer<Int>, count: Int,
    rows: Int, dimension d: Int, adding: Bool
  ) {
    for i in 0..<count {
      let c = columns[i]
      if adding {
        for r in 0..<rows { y[r * d + c] += x[r * d + c] }
      } else {
        for r in 0..<rows { y[r * d + c] = x[r * d + c] }
      }
    }
  }

  /// `out[r] = sign · Σ_j s(h[r, scaleOffset + j])` for j in 0..<count, summed in Float64.
  ///
  /// h: [rows, scaleWidth]; out: [rows]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func logScaleSum<S: TensorScalar>(
    _ layout: CouplingLayout, count: Int, sign: S, h: UnsafePointer<S>,
    into out: UnsafeMutablePointer<S>
  ) {
    let w = layout.scaleWidth, bound = S(layout.map.bound), scale = layout.map.scale
    for r in 0..<layout.rows {
      let row = h + r * w + layout.map.scaleOffset
      var acc: Double = 0
      for j in 0..<count { acc += Double(scale.logScale(row[j], bound: bound)) }
      out[r] = sign * S(acc)
    }
  }

  /// `dh[r, scaleOffset + j] += sign · dOut[r] · s′(h[r, scaleOffset + j])`.
  ///
  /// h, dh: [rows, scaleWidth]; dOut: [rows]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateLogScaleSumGradient<S: TensorScalar>(
    _ layout: CouplingLayout, count: Int, sign: S, h: UnsafePointer<S>,
    upstream dOut: UnsafePointer<S>, into dh: UnsafeMutablePointer<S>
  ) {
    let w = layout.scaleWidth, bound = S(layout.map.bound), scale = layout.map.scale
    for r in 0..<layout.rows {
      let offset = r * w + layout.map.scaleOffset, g = sign * dOut[r]
      for j in 0..<count {
        let hs = h[offset + j]
        dh[offset + j] += g * scale.derivative(hs, logScale: scale.logScale(hs, bound: bound), bound: bound)
      }
    }
  }
}
