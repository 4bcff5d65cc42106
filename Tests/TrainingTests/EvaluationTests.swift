import Autodiff
import Collectives
import Flows
import Training
import XCTest

final class EvaluationTests: XCTestCase {
  func testEvaluatorAveragesEveryExampleAcrossUnevenChunks() throws {
    let local = LocalStore()
    local.store.initialize(seed: 3)
    let data = ToyGaussian.source(count: 37, seed: 8)
    let evaluator = DatasetEvaluator(trainable: TrainableFlow(model: local.model, parameters: local.store),
                                     communicator: LocalCommunicator(), batch: 8)
    let result = try evaluator.evaluate(data)
    let direct = logLikelihoods(local.model, local.store, rows: data.rows).map { -Double($0) }
    XCTAssertEqual(result.examples, 37)
    XCTAssertEqual(result.nats, direct.reduce(0, +) / 37, accuracy: 1e-9)
    XCTAssertEqual(result.natsPerDimension, result.nats / 2)
  }

  func testEvaluationDataOfTheWrongShapeIsAnError() throws {
    let local = LocalStore()
    let evaluator = DatasetEvaluator(trainable: TrainableFlow(model: local.model, parameters: local.store),
                                     communicator: LocalCommunicator(), batch: 8)
    let wrong = InMemorySource(rows: [1, 2, 3, 4, 5, 6], exampleShape: [3])
    assertTrainerError("shape [3] but the model expects [2]") { _ = try evaluator.evaluate(wrong) }
  }

  func testResumingAMissingFileNamesIt() throws {
    let directory = try ScratchDirectory()
    let missing = directory.file("ckpt-000123.safetensors")
    assertTrainerError("cannot resume from \(missing): cannot open") {
      try LocalRun(options: toyOptions(steps: 2), directory: nil, resume: .path(missing)).trainer.prepare()
    }
  }
}
