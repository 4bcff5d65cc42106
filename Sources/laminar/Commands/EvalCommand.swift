import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Runs
import Training

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Negative log-likelihood of a data set under a trained flow, in nats and bits per dimension.",
    discussion: """
      Without --data, evaluates the validation set the run was configured with. Figures are in the
      data's own units: a standardization applied for training is accounted for by its log-determinant.
      """)

  @Option(help: "A checkpoint written by laminar train.")
  var checkpoint: String

  @Option(help: "An N×D .npy file to evaluate (default: the run's validation data).")
  var data: String?

  @Flag(help: "Use the EMA copy of the parameters.")
  var averaged = false

  func run() throws {
    try withWorld { world in
      let trained = try TrainedModel(checkpoint: checkpoint, averaged: averaged)
      let source: any ExampleSource
      if let data {
        source = try trained.examples(fromFile: data)
      } else {
        guard let validation = try trained.spec.data.makeSources().validation else {
          throw ValidationError("the run has no validation data; pass --data FILE.npy")
        }
        source = validation
      }
      let ll = try Likelihood.perExample(model: trained.model, parameters: trained.parameters,
                                         source: source, communicator: world)
      let correction = try trained.standardization()?.logAbsDet ?? 0
      let nll = -ll.reduce(0, +) / Double(ll.count) - correction
      let d = trained.model.dimensions
      if world.rank == 0 {
        print("examples     \(ll.count)")
        print("NLL          \(String(format: "%.5f", nll)) nats")
        print("nats/dim     \(String(format: "%.5f", LikelihoodUnits.natsPerDimension(nll: nll, dimensions: d)))")
        print("bits/dim     \(String(format: "%.5f", nll / (Double(d) * M_LN2)))")
      }
    }
  }
}
