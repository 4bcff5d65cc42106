#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The first SIGTERM or SIGINT since `StopSignals.install()`, 0 before one arrives. A signal
/// handler may only touch lock-free atomics (POSIX async-signal safety), hence a global.
private let firstSignal = Atomic<Int32>(0)

/// Graceful preemption (issue 11): the first SIGTERM or SIGINT only sets a flag that the trainer
/// reads at its next step boundary; a second one ends the process at once.
///
/// Process-wide by nature (signal dispositions are), so only commands that poll the flag
/// install it: an `eval` that never looks would otherwise swallow the first Ctrl-C.
public enum StopSignals {
  /// Installs the handler for SIGTERM and SIGINT; idempotent.
  public static func install() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handleStopSignal
    sigemptyset(&action.sa_mask)
    // Restart interrupted reads, writes and polls (MPI's progress loop, checkpoint I/O) rather
    // than making them fail with EINTR: the flag is all the handler has to say.
    action.sa_flags = Int32(SA_RESTART)
    sigaction(SIGTERM, &action, nil)
    sigaction(SIGINT, &action, nil)
  }

  /// The first stop signal received, nil when none has arrived.
  public static var received: Int32? {
    let signal = firstSignal.load(ordering: .relaxed)
    return signal == 0 ? nil : signal
  }

  /// "SIGTERM", "SIGINT" or "signal N".
  public static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    default: "signal \(signal)"
    }
  }
}

/// Only async-signal-safe calls: an atomic exchange, write(2) of a static string, _exit.
private func handleStopSignal(_ signal: Int32) {
  let (isFirst, _) = firstSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
  guard !isFirst else { return }
  let message: StaticString = "laminar: second stop signal, exiting now without a checkpoint\n"
  _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
  _exit(128 + signal)
}
