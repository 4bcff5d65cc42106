import Configuration
import XCTest

final class ConfigOverrideTests: XCTestCase {
  func schema(_ overrides: [String]) throws -> SampleSchema {
    let config = try Config(yaml: sampleYAML, source: "run.yaml", overrides: overrides)
    let schema = try SampleSchema(config)
    try config.rejectUnusedKeys()
    return schema
  }

  func testOverridesReplaceNestedValuesWithParsedTypes() throws {
    let s = try schema(["trainer.lr=3e-4", "trainer.steps=250", "trainer.shuffle=false",
                        "trainer.hidden=[128, 128, 2]", "trainer.name=glow-run", "trainer.schedule=constant"])
    XCTAssertEqual(s.lr, 3e-4)
    XCTAssertEqual(s.steps, 250)
    XCTAssertFalse(s.shuffle)
    XCTAssertEqual(s.hidden, [128, 128, 2])
    XCTAssertEqual(s.name, "glow-run")
    XCTAssertEqual(s.schedule, .constant)
  }

  func testOverrideAddsKeysAndIntermediateSections() throws {
    let s = try schema(["trainer.seed=42", "ema.decay=0.999"])
    XCTAssertEqual(s.seed, 42)
    XCTAssertEqual(s.emaDecay, 0.999)
  }

  func testLaterOverrideWins() throws {
    XCTAssertEqual(try schema(["trainer.steps=1", "trainer.steps=2"]).steps, 2)
  }

  func testOverrideCanReplaceAWholeSection() throws {
    let s = try schema(["model={layers: [{kind: x, width: 2}]}"])
    XCTAssertEqual(s.layers, ["x"])
    XCTAssertEqual(s.widths, [2])
  }

  func testUnknownOverrideKeyIsRejectedLikeAFileKey() {
    XCTAssertThrowsError(try schema(["trainer.stesp=10"])) { error in
      XCTAssertEqual("\(error)", "run.yaml (--set trainer.stesp=10): unknown key 'trainer.stesp'. Did you mean "
                     + "'trainer.steps'? Valid keys in 'trainer': clip, hidden, lr, name, schedule, seed, shuffle, steps.")
    }
    XCTAssertThrowsError(try schema(["optimiser.lr=1"])) { error in
      XCTAssertTrue("\(error)".hasPrefix("run.yaml (--set optimiser.lr=1): unknown key 'optimiser'."), "\(error)")
    }
  }

  func testOverrideWithWrongTypeNamesTheArgument() {
    XCTAssertThrowsError(try schema(["trainer.steps=many"])) { error in
      XCTAssertEqual("\(error)", "run.yaml (--set trainer.steps=many): 'trainer.steps' must be an integer, found 'many'")
    }
  }

  func testMalformedOverrides() {
    XCTAssertThrowsError(try schema(["trainer.lr"])) { error in
      XCTAssertEqual("\(error)", "run.yaml (--set trainer.lr): expected key.path=value, e.g. --set trainer.lr=3e-4")
    }
    XCTAssertThrowsError(try schema(["trainer..lr=1"])) { error in
      XCTAssertTrue("\(error)".contains("has an empty part"), "\(error)")
    }
    XCTAssertThrowsError(try schema(["trainer.lr.x=1"])) { error in
      XCTAssertEqual("\(error)", "run.yaml (--set trainer.lr.x=1): cannot set 'trainer.lr.x' because "
                     + "'trainer.lr' is '1e-3', not a section")
    }
    XCTAssertThrowsError(try schema(["trainer.hidden=[1, 2"])) { error in
      XCTAssertTrue("\(error)".hasPrefix("run.yaml (--set trainer.hidden=[1, 2): not valid YAML: did not find expected ',' or ']'"), "\(error)")
    }
  }
}
