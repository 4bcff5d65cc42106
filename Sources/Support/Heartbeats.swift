#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Which ranks rank 0 still hears from, and how far each has got, so that a watchdog timeout can
/// name the rank that is unreachable, stopped or behind instead of only "some other rank".
///
/// Every other rank sends rank 0 one small UDP datagram a second (`HeartbeatSender`) carrying its
/// rank, its progress (the step its watchdog last saw) and its host name; `HeartbeatReceiver`
/// records when each rank was last heard from. UDP, outside MPI, because the report is needed
/// exactly when MPI is stuck: a rank blocked in a collective cannot answer anything sent through
/// it, and a second MPI thread would need `MPI_THREAD_MULTIPLE` on every call. The heartbeats
/// only ever feed the message; nothing is decided by them, so a lost datagram costs nothing.
public final class HeartbeatReceiver: Sendable {
  /// The port it listens on, on every IPv4 address of this host.
  public let port: UInt16
  private let descriptor: Int32
  private let start = Heartbeats.seconds()
  /// Per rank: the monotonic time of its last datagram (0: never), its progress, its host.
  private let heard: Mutex<[Int: (at: Double, progress: Int, host: String)]> = Mutex([:])
  private let stopped = Atomic<Bool>(false)

  public init() throws {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { throw HeartbeatError("socket(AF_INET, SOCK_DGRAM): \(systemError())") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = INADDR_ANY
    address.sin_port = 0
    // The receive timeout bounds how long `stop()` waits for the thread to notice.
    var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0
    else {
      let error = HeartbeatError("binding a UDP socket for heartbeats: \(systemError())")
      close(fd)
      throw error
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    descriptor = fd
    port = UInt16(bigEndian: address.sin_port)
    Thread.detachNewThread { [self] in receive() }
  }

  deinit { close(descriptor) }

  /// Ends the listening thread within its receive timeout.
  public func stop() { stopped.store(true, ordering: .releasing) }

  /// What rank 0 knows of the other ranks of a job of `size` ranks, rank 0 being at `progress`.
  public func report(size: Int, progress: Int) -> HeartbeatReport {
    let now = Heartbeats.seconds()
    let heard = heard.withLock { $0 }
    guard !heard.isEmpty else {
      return HeartbeatReport(
        description: "no heartbeat arrived from any other rank in \(Int(now - start)) s (UDP to port \(port) of "
          + "rank 0 blocked?), so the stalled rank is unknown",
        silentOnOtherHosts: false)
    }
    let here = hostName()
    var silent: [String] = [], behind: [String] = [], fine: [Int] = [], silentElsewhere = false
    for rank in 1..<max(size, 1) {
      guard let h = heard[rank] else {
        silent.append("rank \(rank): never heard from")
        continue
      }
      let quiet = now - h.at
      let place = h.progress < 0 ? "start-up" : "step \(h.progress)"
      if quiet > Heartbeats.silence {
        silent.append("rank \(rank) on \(h.host): silent for \(Int(quiet.rounded())) s (last at \(place)): "
                      + "unreachable (network down), stopped or dead")
        silentElsewhere = silentElsewhere || h.host != here
      } else if h.progress < progress {
        behind.append("rank \(rank) on \(h.host): alive but still at \(place) (rank 0 is at step \(progress)): "
                      + "hung in its own work or file system")
      } else {
        fine.append(rank)
      }
    }
    var lines = silent + behind
    if !fine.isEmpty {
      lines.append("rank\(fine.count == 1 ? "" : "s") \(fine.map(String.init).joined(separator: ", ")) alive and "
                   + "waiting like rank 0")
    }
    return HeartbeatReport(description: lines.joined(separator: "; "), silentOnOtherHosts: silentElsewhere)
  }

  private func receive() {
    var buffer = [UInt8](repeating: 0, count: 512)
    while !stopped.load(ordering: .acquiring) {
      let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      guard n > 0, let beat = Heartbeats.decode(Array(buffer[0..<n])) else { continue }
      let at = Heartbeats.seconds()
      heard.withLock { $0[beat.rank] = (at, beat.progress, beat.host) }
    }
  }
}

/// Rank 0's account of the other ranks when a step stalls.
public struct HeartbeatReport: Sendable, CustomStringConvertible {
  /// One clause per silent or lagging rank, then the ranks that are fine.
  public let description: String
  /// Some rank on another host than rank 0's went silent: maybe its node is unreachable.
  public let silentOnOtherHosts: Bool
}

/// Sends `HeartbeatReceiver` one datagram a second from a rank other than 0, to every address
/// rank 0 listed (the ones that do not route just fail, silently).
public final class HeartbeatSender: Sendable {
  private let stopped = Atomic<Bool>(false)

  /// `progress` is read at each beat (the watchdog's last step); `addresses` are dotted IPv4.
  public init(rank: Int, addresses: [String], port: UInt16, progress: @escaping @Sendable () -> Int) throws {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { throw HeartbeatError("socket(AF_INET, SOCK_DGRAM): \(systemError())") }
    let targets: [sockaddr_in] = addresses.compactMap { text in
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = port.bigEndian
      return inet_pton(AF_INET, text, &address.sin_addr) == 1 ? address : nil
    }
    let host = hostName()
    Thread.detachNewThread { [self] in
      defer { close(fd) }
      while !stopped.load(ordering: .acquiring) {
        let datagram = Heartbeats.encode(rank: rank, progress: progress(), host: host)
        for var target in targets {
          _ = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &target) {
              $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0,
                       socklen_t(MemoryLayout<sockaddr_in>.size))
              }
            }
          }
        }
        usleep(UInt32(Heartbeats.interval * 1e6))
      }
    }
  }

  public func stop() { stopped.store(true, ordering: .releasing) }
}

/// The datagram format and the bits both ends share.
public enum Heartbeats {
  /// Seconds between two beats of a sender.
  public static let interval = 1.0
  /// A rank not heard from for this long is reported silent: well above a live sender's gaps
  /// on a loaded machine, below the shortest step timeout that is sensible (a few seconds).
  public static let silence = 2.5
  private static let magic = "laminar-heartbeat"

  /// This host's IPv4 addresses, loopback last (it reaches only ranks on the same host).
  public static func localAddresses() -> [String] {
    var list: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&list) == 0 else { return ["127.0.0.1"] }
    defer { freeifaddrs(list) }
    var addresses: [String] = [], loopback: [String] = []
    var entry = list
    while let e = entry {
      defer { entry = e.pointee.ifa_next }
      guard let a = e.pointee.ifa_addr, a.pointee.sa_family == sa_family_t(AF_INET) else { continue }
      var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
      var address = a.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
      guard inet_ntop(AF_INET, &address, &text, socklen_t(text.count)) != nil else { continue }
      let dotted = string(fromC: text)
      if dotted.hasPrefix("127.") { loopback.append(dotted) } else { addresses.append(dotted) }
    }
    return addresses + loopback
  }

  static func encode(rank: Int, progress: Int, host: String) -> [UInt8] {
    Array("\(magic) \(rank) \(progress) \(host)".utf8)
  }

  /// The beat in a datagram, nil for anything else that reached the port.
  static func decode(_ bytes: [UInt8]) -> (rank: Int, progress: Int, host: String)? {
    let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ", maxSplits: 3)
    guard fields.count == 4, fields[0] == magic, let rank = Int(fields[1]), rank > 0,
          let progress = Int(fields[2]) else { return nil }
    return (rank, progress, String(fields[3]))
  }

  static func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
  }
}

/// Heartbeats could not be set up (no UDP socket); the job runs without them.
public struct HeartbeatError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}

/// This machine's name (as event file names and heartbeats carry it); "localhost" if unknown.
public func hostName() -> String {
  var name = [CChar](repeating: 0, count: 256)
  guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
  let host = string(fromC: name)
  return host.isEmpty ? "localhost" : host
}

/// The text of a NUL-terminated C buffer.
private func string(fromC chars: [CChar]) -> String {
  String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
