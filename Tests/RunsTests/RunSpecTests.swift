import Collectives
import Configuration
import Datasets
import Foundation
import Runs
import TensorCore
import Training
import XCTest

final class RunSpecTests: XCTestCase {
  static let moons = """
    data: {source: toy, distribution: moons, train_count: 512, validation_count: 64}
    model: {family: realnvp, layers: 2, hidden: [8]}
    trainer: {batch_size: 32, steps: 3, lr: 0.001}
    """

  func testReadsEverySectionAndBuildsTheSources() throws {
    let spec = try RunSpec(config: Config(yaml: Self.moons, source: "moons.yaml"), name: "moons", source: "moons.yaml")
    let (training, validation) = try spec.data.makeSources()
    XCTAssertEqual(training.count, 512)
    XCTAssertEqual(validation?.count, 64)
    XCTAssertEqual(training.exampleShape, [2])
    let trainable = try spec.buildModel(eventShape: [2])
    XCTAssertEqual(trainable.model.eventShape, [2])
    XCTAssertGreaterThan(trainable.parameters.count, 0)
  }

  func testATypoInAnySectionIsReportedWithItsPath() throws {
    let yaml = Self.moons.replacingOccurrences(of: "steps: 3", with: "stesp: 3, steps: 3")
    XCTAssertThrowsError(try RunSpec(config: Config(yaml: yaml, source: "moons.yaml"), name: "m", source: "moons.yaml")) {
      XCTAssertTrue("\($0)".contains("trainer.stesp"), "\($0)")
    }
  }

  func testLikelihoodPerExampleMatchesOneBigBatch() throws {
    let spec = try RunSpec(config: Config(yaml: Self.moons, source: "moons.yaml"), name: "moons", source: "moons.yaml")
    let (training, _) = try spec.data.makeSources()
    let trainable = try spec.buildModel(eventShape: [2])
    let parameters = trainable.parameters
    parameters.initialize(seed: 3)
    for i in parameters.values.indices { parameters.values[i] += Float(i % 7) * 0.01 }
    let batched = try Likelihood.perExample(trainable, source: training, batchSize: 100, communicator: LocalCommunicator())
    let whole = try Likelihood.perExample(trainable, source: training, batchSize: 512, communicator: LocalCommunicator())
    XCTAssertEqual(batched.count, 512)
    for (a, b) in zip(batched, whole) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    XCTAssertTrue(batched.allSatisfy(\.isFinite))
  }

  func testDensityPlotWritesAPNG() throws {
    let spec = try RunSpec(config: Config(yaml: Self.moons, source: "moons.yaml"), name: "moons", source: "moons.yaml")
    let (training, _) = try spec.data.makeSources()
    let trainable = try spec.buildModel(eventShape: [2])
    trainable.parameters.initialize(seed: 3)
    let path = NSTemporaryDirectory() + "laminar-density-\(getpid()).png"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try DensityPlot.write(trainable, data: training, to: path, seed: 0, communicator: LocalCommunicator())
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
  }
}
