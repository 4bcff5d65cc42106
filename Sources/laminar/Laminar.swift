import ArgumentParser

@main
struct Laminar: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "laminar",
    abstract: "Train normalizing flows data-parallel across MPI ranks.",
    discussion: """
      Run a command directly for one process, or under launch/run (mpirun) for several ranks:
        laminar bench kernels
        launch/run -np 2 .build/release/laminar bench kernels
      """,
    subcommands: [Train.self, Sample.self, Eval.self, Score.self, VI.self, Inspect.self, Bench.self, Upscale.self, Mel.self, EvalAudio.self, Vocode.self])

  static func main() {
    NativeBLASKernels.restartIfGeneric()
    main(nil)
  }
}
