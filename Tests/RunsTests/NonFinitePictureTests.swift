import Autodiff
import Collectives
import Configuration
import Datasets
import Flows
import Foundation
import Graphics
import Runs
import XCTest

/// Every picture of a run drawn from NaN data or a diverged model is still a PNG, and reports how
/// many values it had to mark, for the run's warning line (issue 11).
final class NonFinitePictureTests: XCTestCase {
  private func temporary(_ name: String) -> String {
    NSTemporaryDirectory() + "laminar-nonfinite-\(name)-\(getpid()).png"
  }

  private func assertPNG(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47], file: file, line: line)
    try? FileManager.default.removeItem(atPath: path)
  }

  func testTrainingCurveCountsNullMetricsAsNonFinitePoints() throws {
    let metrics = NSTemporaryDirectory() + "laminar-nonfinite-\(getpid()).jsonl"
    defer { try? FileManager.default.removeItem(atPath: metrics) }
    let lines = [#"{"step":1,"nats_per_dim":1.5}"#, #"{"step":2,"nats_per_dim":null,"val_nats_per_dim":null}"#,
                 #"{"step":3,"nats_per_dim":1.2,"val_nats_per_dim":1.3}"#, #"{"step":4,"nats_per_dim":null}"#]
    try (lines.joined(separator: "\n") + "\n").write(toFile: metrics, atomically: true, encoding: .utf8)
    let path = temporary("curve")
    XCTAssertEqual(try TrainingCurve.write(metrics: metrics, to: path, title: "diverged"), 3)
    try assertPNG(path)
  }

  func testScorePlotOfOnlyNonFiniteScoresIsStillWritten() throws {
    let path = temporary("scores")
    let scores: [Double] = [.nan, .infinity, -.infinity, .nan]
    XCTAssertEqual(try ScoreDistributionPlot.write(scores: scores, anomalous: [false, true, false, true], to: path,
                                                   title: "scores"), 4)
    try assertPNG(path)
    XCTAssertEqual(try ScoreDistributionPlot.write(scores: [1, .nan, -1e308, 1e308], anomalous: [false, true, true, false],
                                                   to: path, title: "scores"), 1)
    try assertPNG(path)
  }

  func testSampleGridOfANaNModelMarksEverySample() throws {
    let store = ParameterStore<Float>()
    let model = FlowModel(flow: InvertibleFlowSequence([ActNorm("a", channels: 1, parameters: store)]),
                          base: StandardNormal(), eventShape: [1, 4, 4])
    for i in store.values.indices { store.values[i] = .nan }
    let path = temporary("grid")
    let nonFinite = try SampleGrid.write(TrainableFlow(model: model, parameters: store),
                                         dequantization: Dequantization(bins: 17, transform: .shift(-0.5)),
                                         temperatures: [0, 1], count: 4, to: path)
    XCTAssertEqual(nonFinite, 8, "4 samples in each of 2 panels")
    try assertPNG(path)
  }

  func testDensityPlotOfANaNModelCountsItsCellsAndSamples() throws {
    let yaml = """
      data: {source: toy, distribution: moons, train_count: 256, validation_count: 0}
      model: {family: realnvp, layers: 2, hidden: [8]}
      trainer: {batch_size: 32, steps: 3, lr: 0.001}
      """
    let spec = try RunSpec(config: Config(yaml: yaml, source: "nan.yaml"), name: "nan", source: "nan.yaml")
    let trainable = try spec.buildModel(eventShape: [2])
    for i in trainable.parameters.values.indices { trainable.parameters.values[i] = .nan }
    let path = temporary("density")
    let nonFinite = try DensityPlot.write(trainable, data: spec.data.makeSources().training, to: path, seed: 0,
                                          communicator: LocalCommunicator())
    XCTAssertEqual(nonFinite, 160 * 160 + 2000, "every grid cell and every sample")
    try assertPNG(path)
  }
}
