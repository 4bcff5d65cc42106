import ArgumentParser

@main
struct Laminar: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "laminar",
    abstract: "Train normalizing flows data-parallel across MPI ranks.")
}
