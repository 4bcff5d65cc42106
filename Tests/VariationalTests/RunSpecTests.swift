import Configuration
import Foundation
import Models
import Training
import Variational
import XCTest

/// Reading VI configs: defaults, validation messages, and the shipped configs.
final class RunSpecTests: XCTestCase {
  func spec(_ yaml: String, _ overrides: [String] = []) throws -> VariationalRunSpec {
    try VariationalRunSpec(config: Config(yaml: yaml, source: "vi.yaml", overrides: overrides))
  }

  func error(_ yaml: String, _ overrides: [String] = []) -> String {
    do {
      _ = try spec(yaml, overrides)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  func testDefaults() throws {
    let s = try spec("target: u1\nmodel: {family: planar}\ntrainer: {steps: 1000, batch_size: 256, lr: 1e-3}\n")
    XCTAssertEqual(s.target, .u1)
    XCTAssertEqual(s.flow.family, .planar)
    XCTAssertEqual(s.flow.layers, 32)
    XCTAssertEqual(s.trainer.globalBatch, 256)
    XCTAssertEqual(s.trainer.seed, 0)
    XCTAssertEqual(s.annealing, BetaAnnealing(initialBeta: 0.01, steps: 200), "β anneals over steps/5")
    XCTAssertNil(s.trainer.clipNorm)
    XCTAssertEqual(s.trainer.optimizer, OptimizerSettings())
    XCTAssertEqual(s.trainer.schedule, LearningRateSchedule(peak: 1e-3, totalSteps: 1000))
    XCTAssertEqual(s.evaluation.samples, 100_000)
  }

  func testOverridesAndIAFKeys() throws {
    let s = try spec("target: u2\nmodel: {family: iaf, hidden: [16]}\ntrainer: {steps: 10, batch_size: 64, lr: 1e-3}\n",
                     ["model.layers=3", "trainer.anneal_steps=0", "trainer.clip_norm=5", "target=mixture"])
    XCTAssertEqual(s.target, .mixture)
    XCTAssertEqual(s.flow, VariationalFlowSpec(family: .iaf, layers: 3, hidden: [16]))
    XCTAssertEqual(s.annealing.beta(atStep: 0), 1)
    XCTAssertEqual(s.trainer.clipNorm, 5)
  }

  func testBadInputNamesTheKey() {
    let base = "target: u1\nmodel: {family: planar}\ntrainer: {steps: 10, batch_size: 64, lr: 1e-3}\n"
    XCTAssertTrue(error(base, ["model.hidden=[8]"]).contains("unknown key 'model.hidden'"), error(base, ["model.hidden=[8]"]))
    XCTAssertTrue(error(base, ["target=u5"]).contains("'target' must be one of u1, u2, u3, u4, mixture"))
    XCTAssertTrue(error(base, ["trainer.anneal_from=0"]).contains("'trainer.anneal_from' must be in (0, 1]"))
    XCTAssertTrue(error(base, ["evaluation.sample=10"]).contains("Did you mean 'evaluation.samples'?"))
    XCTAssertTrue(error("target: u1\ntrainer: {steps: 10, batch_size: 64, lr: 1e-3}\n")
                    .contains("missing required key 'model.family'"))
    XCTAssertTrue(error(base, ["trainer.max_nonfinite_steps=3"]).contains("unknown key 'trainer.max_nonfinite_steps'"),
                  "the trainer's own key is max_nonfinite_in_a_row")
  }

  /// Reversible backprop recomputes a density-direction flow from its latent; VI flows train
  /// through samples, so the config is rejected with the key, the layer and the fix.
  func testReversibleBackpropIsRejectedNamingTheLayerAndTheFix() {
    let planar = error("target: u1\nmodel: {family: planar}\ntrainer: {steps: 10, batch_size: 64, lr: 1e-3}\n",
                       ["trainer.reversible=true"])
    for fragment in ["'trainer.reversible'", "planar layers have no inverse", "set trainer.reversible: false"] {
      XCTAssertTrue(planar.contains(fragment), "'\(planar)' lacks '\(fragment)'")
    }
    let iaf = error("target: u1\nmodel: {family: iaf}\ntrainer: {steps: 10, batch_size: 64, lr: 1e-3, reversible: true}\n")
    XCTAssertTrue(iaf.contains("the iaf flow trains in the sampling direction"), iaf)
    XCTAssertEqual(error("target: u1\nmodel: {family: iaf}\ntrainer: {steps: 10, batch_size: 64, lr: 1e-3}\n",
                         ["trainer.reversible=false"]), "no error")
  }

  /// configs/vi-*.yaml load, and describe what their comments say.
  func testShippedConfigsLoad() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let planar = try VariationalRunSpec(config: Config.load(path: root.appendingPathComponent("configs/vi-planar.yaml").path))
    XCTAssertEqual(planar.flow.family, .planar)
    XCTAssertEqual(planar.target, .u1)
    let iaf = try VariationalRunSpec(config: Config.load(path: root.appendingPathComponent("configs/vi-iaf.yaml").path))
    XCTAssertEqual(iaf.flow.family, .iaf)
    XCTAssertEqual(iaf.target, .u2)
  }

  func testAnnealingRisesLinearlyToOne() {
    let a = BetaAnnealing(initialBeta: 0.01, steps: 100)
    XCTAssertEqual(a.beta(atStep: 0), 0.01)
    XCTAssertEqual(a.beta(atStep: 50), 0.505, accuracy: 1e-12)
    XCTAssertEqual(a.beta(atStep: 99), 0.01 + 0.99 * 0.99, accuracy: 1e-12)
    XCTAssertEqual(a.beta(atStep: 100), 1)
    XCTAssertEqual(a.beta(atStep: 10_000), 1)
    XCTAssertEqual(BetaAnnealing.none.beta(atStep: 0), 1)
  }
}
