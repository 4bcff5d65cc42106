import Foundation

/// The one place that decides whether a size from a config or a command line can be allocated:
/// the product of its factors must not overflow `Int` and must fit in physical memory (issue 11:
/// `model.hidden: [100000000, 100000000]` ended in "failed to allocate", `trainer.steps` near
/// `Int.max` corrupted the heap through an overflowing `reserveCapacity`).
///
/// Estimates are lower bounds of what the run will hold, so a rejected size can never work, and
/// an accepted one may still be tight.
public enum MemoryBudget {
  /// Bytes of physical memory: `MemTotal` of /proc/meminfo, else `sysconf`, else 16 GiB.
  public static let physicalBytes: Int = meminfoTotal() ?? sysconfTotal() ?? 16 << 30

  /// Bytes per Float32 parameter during training: value, gradient and Adam's two moments.
  public static let bytesPerTrainedParameter = 4 * 4

  /// The product of `factors`, nil when it overflows `Int` (or a factor is negative).
  public static func product(_ factors: [Int]) -> Int? {
    var total = 1
    for factor in factors {
      guard factor >= 0 else { return nil }
      let (next, overflow) = total.multipliedReportingOverflow(by: factor)
      if overflow { return nil }
      total = next
    }
    return total
  }

  /// The sum of `terms`, nil when it overflows `Int`.
  public static func sum(_ terms: [Int?]) -> Int? {
    var total = 0
    for term in terms {
      guard let term else { return nil }
      let (next, overflow) = total.addingReportingOverflow(term)
      if overflow { return nil }
      total = next
    }
    return total
  }

  /// Why `bytes` (nil: an overflowed estimate) cannot be allocated, or nil when it fits;
  /// e.g. "would need at least 160.0 TB, more than the 23.5 GB of physical memory".
  public static func excess(bytes: Int?) -> String? {
    guard let bytes else { return "would need more bytes than a 64-bit size can count" }
    guard bytes > physicalBytes else { return nil }
    return "would need at least \(format(bytes)), more than the \(format(physicalBytes)) of physical memory"
  }

  /// `excess(bytes: product(factors))`.
  public static func excess(_ factors: Int...) -> String? { excess(bytes: product(factors)) }

  /// "1.5 GB" style, powers of 1024.
  public static func format(_ bytes: Int) -> String {
    var value = Double(bytes), unit = 0
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
  }

  private static func meminfoTotal() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
    return ProcessMemory.kilobyteField("MemTotal", in: text)
  }

  private static func sysconfTotal() -> Int? {
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return nil }
    return product([pages, size])
  }
}
