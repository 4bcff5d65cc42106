import Configuration
import XCTest

enum Schedule: String, CaseIterable { case constant, cosine }

let sampleYAML = """
  trainer:
    lr: 1e-3
    steps: 100
    schedule: cosine
    hidden: [64, 32]
    shuffle: true
    name: "001"
  model:
    layers:
      - kind: coupling
        width: 8
      - kind: actnorm
  """

/// The schema a small program declares; shared by the config tests.
struct SampleSchema: Equatable {
  var lr: Double, steps: Int, schedule: Schedule, hidden: [Int], shuffle: Bool, name: String
  var clip: Double, seed: Int?, layers: [String], widths: [Int], emaDecay: Double?

  init(_ config: Config) throws {
    let trainer = try config.section("trainer")
    lr = try trainer.double("lr", default: 1e-4)
    steps = try trainer.int("steps")
    schedule = try trainer.choice("schedule", of: Schedule.self, default: .constant)
    hidden = try trainer.ints("hidden", default: [16])
    shuffle = try trainer.bool("shuffle", default: false)
    name = try trainer.string("name", default: "run")
    clip = try trainer.double("clip", default: 1.5)
    seed = try trainer.value("seed", as: Int.self)
    let layerSections = try config.section("model").sections("layers")
    layers = try layerSections.map { try $0.string("kind") }
    widths = try layerSections.map { try $0.int("width", default: 4) }
    emaDecay = try config.root.optionalSection("ema")?.double("decay")
  }
}

final class ConfigReadingTests: XCTestCase {
  func testTypedAccessorsAndDefaults() throws {
    let config = try Config(yaml: sampleYAML, source: "run.yaml")
    let schema = try SampleSchema(config)
    XCTAssertEqual(schema.lr, 1e-3)
    XCTAssertEqual(schema.steps, 100)
    XCTAssertEqual(schema.schedule, .cosine)
    XCTAssertEqual(schema.hidden, [64, 32])
    XCTAssertTrue(schema.shuffle)
    XCTAssertEqual(schema.name, "001")
    XCTAssertEqual(schema.clip, 1.5)
    XCTAssertNil(schema.seed)
    XCTAssertEqual(schema.layers, ["coupling", "actnorm"])
    XCTAssertEqual(schema.widths, [8, 4])
    XCTAssertNil(schema.emaDecay)
    try config.rejectUnusedKeys()
  }

  func testNullCountsAsAbsent() throws {
    let config = try Config(yaml: "trainer:\n  steps: 3\n  lr: ~\n  seed:\n", source: "run.yaml")
    let schema = try SampleSchema(config)
    XCTAssertEqual(schema.lr, 1e-4)
    XCTAssertNil(schema.seed)
  }

  func testEmptyFileIsAnEmptyConfig() throws {
    let config = try Config(yaml: "", source: "empty.yaml")
    XCTAssertEqual(try config.root.int("steps", default: 7), 7)
    try config.rejectUnusedKeys()
  }

  func testLoadReadsTheFile() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).yaml")
    try "trainer:\n  steps: 9\n".write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let config = try Config.load(path: url.path, overrides: ["trainer.lr=0.5"])
    XCTAssertEqual(try SampleSchema(config).steps, 9)
    XCTAssertEqual(try SampleSchema(config).lr, 0.5)
  }

  func testEditDistanceSuggestionsAreNotForcedOnUnrelatedKeys() throws {
    let config = try Config(yaml: "trainer:\n  steps: 1\n  xyz: 2\n", source: "run.yaml")
    _ = try SampleSchema(config)
    XCTAssertThrowsError(try config.rejectUnusedKeys()) { error in
      XCTAssertFalse("\(error)".contains("Did you mean"), "\(error)")
    }
  }
}
