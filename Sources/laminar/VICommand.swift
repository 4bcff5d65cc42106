import ArgumentParser
import Training
import Variational

struct VI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vi",
    abstract: "Fit a flow to an unnormalized 2-D target by reverse KL and estimate its log Z.",
    discussion: """
      Targets: the Rezende & Mohamed 2015 energies u1-u4 and a Gaussian mixture. \
      Prints the ELBO and the importance-sampling estimate of log Z against the true log Z, and \
      writes checkpoints, vi-summary.json, vi.png (target, fitted density, samples), vi-loss.png and \
      metrics.jsonl into the run directory.

        laminar vi --config configs/vi-planar.yaml
        launch/run -np 2 .build/release/laminar vi --config configs/vi-iaf.yaml
      """)

  @Option(help: "The run's YAML config.")
  var config: String

  @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (repeatable).", valueName: "key=value"))
  var overrides: [String] = []

  @Option(help: "Run directory (default: runs/<config file stem>).")
  var out: String?

  @Option(help: ArgumentHelp("Continue from 'auto' (the newest checkpoint that verifies in the run directory) or from a checkpoint file.", valueName: "auto|PATH"))
  var resume: String?

  func run() throws {
    let run = try VariationalRun(configPath: config, overrides: overrides, directory: out,
                                 resume: resume.map(ResumeRequest.init) ?? .none)
    _ = try withWorld { world in try run.run(communicator: world) }
  }
}
