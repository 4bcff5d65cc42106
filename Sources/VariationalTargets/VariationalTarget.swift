/// The built-in targets by their config names (`target: u3`).
public enum VariationalTarget: String, CaseIterable, Sendable {
  case u1, u2, u3, u4
  /// `GaussianMixtureEnergy.standard`.
  case mixture

  public var energy: any Energy2D {
    switch self {
    case .u1: return RezendeEnergy.u1
    case .u2: return RezendeEnergy.u2
    case .u3: return RezendeEnergy.u3
    case .u4: return RezendeEnergy.u4
    case .mixture: return GaussianMixtureEnergy.standard
    }
  }

  /// Resolution of `referenceLogPartition`'s grid. Doubling it from 1024 changed U1's log Z by
  /// 7e-15 (release build; 128² is already within 3e-12).
  public static let referenceResolution = 1024

  /// The "true" log Z to report beside a fit: the closed form when there is one, else the
  /// midpoint rule on `referenceResolution²` cells of the target's `integrationBox`.
  public var referenceLogPartition: Double {
    energy.exactLogPartition ?? energy.gridLogPartition(resolution: Self.referenceResolution)
  }
}
