import Foundation

/// Memory figures of this process and machine from Linux's /proc texts.
public enum ProcessMemory {
  /// This process's peak resident set size in bytes: `VmHWM` of /proc/self/status (the high-water
  /// mark the kernel keeps), nil where there is no such file.
  public static func peakResidentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    return kilobyteField("VmHWM", in: text)
  }

  /// The bytes of a `Name:   123 kB` line of a /proc text (/proc/meminfo, /proc/PID/status).
  public static func kilobyteField(_ name: String, in text: String) -> Int? {
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
          let kilobytes = line.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) })
    else { return nil }
    return MemoryBudget.product([kilobytes, 1024])
  }
}
