import Configuration
import Foundation
import XCTest

/// The messages a user sees, checked in full.
final class ConfigErrorTests: XCTestCase {
  func message(_ yaml: String, overrides: [String] = [], _ body: (Config) throws -> Void) -> String {
    do {
      let config = try Config(yaml: yaml, source: "run.yaml", overrides: overrides)
      try body(config)
      try config.rejectUnusedKeys()
    } catch {
      return "\(error)"
    }
    XCTFail("no error")
    return ""
  }

  func testUnknownKeySuggestsTheClosestValidKey() {
    let text = message("trainer:\n  steps: 5\n  lrr: 0.1\n") { _ = try SampleSchema($0) }
    XCTAssertEqual(text, "run.yaml:3:3: unknown key 'trainer.lrr'. Did you mean 'trainer.lr'? Valid keys in "
                   + "'trainer': clip, hidden, lr, name, schedule, seed, shuffle, steps.")
  }

  func testEveryUnknownKeyIsListedAtItsLevel() {
    let yaml = "trainr:\n  steps: 5\ntrainer:\n  steps: 5\nmodel:\n  layers:\n    - kind: a\n      widht: 3\n"
    let text = message(yaml) { _ = try SampleSchema($0) }
    XCTAssertEqual(text, """
      run.yaml:1:1: unknown key 'trainr'. Did you mean 'trainer'? Valid keys in the top level: ema, model, trainer.
      run.yaml:8:7: unknown key 'model.layers[0].widht'. Did you mean 'model.layers[0].width'? \
      Valid keys in 'model.layers[0]': kind, width.
      """)
  }

  func testWrongTypeNamesKeyExpectedTypeAndValue() {
    XCTAssertEqual(message("trainer:\n  steps: 5\n  lr: fast\n") { _ = try SampleSchema($0) },
                   "run.yaml:3:7: 'trainer.lr' must be a number, found 'fast'")
    XCTAssertEqual(message("trainer:\n  steps: 2.5\n") { _ = try SampleSchema($0) },
                   "run.yaml:2:10: 'trainer.steps' must be an integer, found '2.5'")
    XCTAssertEqual(message("trainer:\n  steps: 5\n  hidden: 64\n") { _ = try SampleSchema($0) },
                   "run.yaml:3:11: 'trainer.hidden' must be a list of integers, found '64'")
    XCTAssertEqual(message("trainer:\n  steps: 5\n  hidden: [64, x]\n") { _ = try SampleSchema($0) },
                   "run.yaml:3:16: 'trainer.hidden' must be an integer, found 'x'")
    XCTAssertEqual(message("trainer:\n  steps: 5\n  shuffle: yes\n") { _ = try SampleSchema($0) },
                   "run.yaml:3:12: 'trainer.shuffle' must be a boolean (true or false), found 'yes'")
    XCTAssertEqual(message("trainer: 3\n") { _ = try SampleSchema($0) },
                   "run.yaml:1:10: 'trainer' must be a section (a mapping of keys), found '3'")
    XCTAssertEqual(message("trainer:\n  steps: {a: 1}\n") { _ = try SampleSchema($0) },
                   "run.yaml:2:10: 'trainer.steps' must be an integer, found a section (a mapping of keys)")
  }

  func testBadChoiceSuggestsACase() {
    XCTAssertEqual(message("trainer:\n  steps: 5\n  schedule: cosin\n") { _ = try SampleSchema($0) },
                   "run.yaml:3:13: 'trainer.schedule' must be one of constant, cosine, found 'cosin'. "
                   + "Did you mean 'cosine'?")
  }

  func testMissingRequiredKeyIsNamed() {
    XCTAssertEqual(message("trainer:\n  lr: 0.1\n") { _ = try SampleSchema($0) },
                   "run.yaml: missing required key 'trainer.steps' (an integer); add it under 'trainer' "
                   + "or pass --set trainer.steps=VALUE")
    XCTAssertEqual(message("trainer:\n  steps: 1\nmodel:\n  layers:\n    - width: 3\n") { _ = try SampleSchema($0) },
                   "run.yaml: missing required key 'model.layers[0].kind' (a string); add it under "
                   + "'model.layers[0]' or pass --set model.layers[0].kind=VALUE")
  }

  func testCheckNamesKeyValueAndRequirement() {
    let text = message("trainer:\n  steps: -4\n") { config in
      let trainer = try config.section("trainer")
      try trainer.check(try trainer.int("steps") > 0, "steps", "must be > 0")
    }
    XCTAssertEqual(text, "run.yaml:2:10: 'trainer.steps' must be > 0; found '-4'")
  }

  func testFileLevelProblems() {
    XCTAssertEqual(message("- 1\n- 2\n") { _ in },
                   "run.yaml: the top level must be a mapping of keys (key: value), found a list")
    XCTAssertEqual(message("trainer:\n  lr: 1\n  lr: 2\n") { _ in },
                   "run.yaml:3:3: duplicate key 'lr' (first at run.yaml:2:3); keep one of them")
    XCTAssertEqual(message("a: 1\n  b: 2\nc: 3\n") { _ in }, """
      run.yaml:2:4: not valid YAML: mapping values are not allowed in this context
        b: 2
         ^
      """)
    XCTAssertThrowsError(try Config.load(path: "no/such/file.yaml")) { error in
      XCTAssertEqual("\(error)", "config file 'no/such/file.yaml' does not exist; check the path given to --config")
    }
  }
}
