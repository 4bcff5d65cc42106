import Foundation
import MPI
import Support
import Training

/// Seconds MPI start-up and the handshake may take before the rank gives up; far above the
/// ~0.5 s they take, far below forever.
private let startupTimeout = 60.0

/// Starts MPI and checks that every rank runs the same subcommand (issue 11): ranks started with
/// different ones would make different collectives and wait for each other forever. A watchdog
/// covers start-up itself, since a peer that never calls MPI_Init leaves the others in it.
func startWorld() throws -> (MPIEnvironment, MPICommunicator) {
  let watchdog = Watchdog(timeout: startupTimeout) { _, idle in
    let message = "laminar: MPI start-up and the command handshake took \(Int(idle)) s; are all ranks running "
      + "the same laminar build and command? exiting\n"
    _ = message.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    // Not MPI_Abort: MPI may not be up. A rank exiting non-zero makes mpirun end the job.
    _exit(stepTimeoutExitCode)
  }
  defer { watchdog.stop() }
  let environment = try MPIEnvironment()
  let world = try environment.world()
  let command = subcommand()
  let commands = try world.allGather(bytes: Array(command.utf8)).map { String(decoding: $0, as: UTF8.self) }
  if let other = commands.firstIndex(where: { $0 != command }) {
    let message = "ranks were started with different commands: rank \(world.rank) runs 'laminar \(command)', rank "
      + "\(other) runs 'laminar \(commands[other])'; start every rank with the same command line"
    world.abort(code: 1, message: message)
  }
  return (environment, world)
}

/// The subcommand words of this process's command line, e.g. "train" or "bench kernels".
private func subcommand() -> String {
  CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }.joined(separator: " ")
}
