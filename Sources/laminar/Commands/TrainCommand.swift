import ArgumentParser
import Collectives
import Foundation
import Runs
import Training

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a flow described by a YAML config, alone or on every rank of an MPI job.",
    discussion: """
      Examples:
        laminar train --config configs/moons-realnvp.yaml
        laminar train --config configs/tabular-maf.yaml --set data.train=rows.npy --set trainer.steps=5000
        launch/run -np 2 .build/release/laminar train --config configs/moons-realnvp.yaml --resume auto
      """)

  @Option(help: "The run's YAML config.")
  var config: String

  @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value, e.g. trainer.steps=500 (repeatable).", valueName: "key=value"))
  var overrides: [String] = []

  @Option(help: ArgumentHelp("Continue from 'auto' (the newest checkpoint that verifies in the run directory) or from a checkpoint file.", valueName: "auto|PATH"))
  var resume: String?

  @Option(help: "The run directory (default: runs/<config name>).")
  var out: String?

  func run() throws {
    try withWorld { world in
      let spec = try RunSpec(path: config, overrides: overrides)
      let directory = out ?? "runs/\(spec.name)"
      let logger = Logger(communicator: world)
      let (training, validation) = try spec.data.makeSources()
      try spec.checkBatches(training: training, ranks: world.size)
      if let note = spec.trainer.checkpointNote { logger.info(note) }
      if let bins = spec.data.bins, world.rank == 0 {
        let baseline = try HistogramBaseline(training: training, validation: validation, bins: bins)
        logger.info(baseline.line)
      }
      let objective = try LikelihoodObjective(
        trainable: spec.buildModel(eventShape: training.exampleShape), training: training, validation: validation,
        preprocessing: spec.data.dequantization, augmentation: spec.data.augmentation, options: spec.trainer,
        communicator: world)
      let trainer = try Trainer(
        objective: objective, options: spec.trainer,
        run: RunSetup(directory: directory, config: spec.config, resume: resume.map(ResumeRequest.init) ?? .none),
        communicator: world, logger: logger, stopRequest: .onSignals())
      let summary = try trainer.train()
      try RunReport(directory: directory, spec: spec, summary: summary, trainer: trainer, world: world,
                    logger: logger).write(data: training)
    }
  }
}
