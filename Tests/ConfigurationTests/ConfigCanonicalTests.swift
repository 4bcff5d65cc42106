import Configuration
import XCTest

final class ConfigCanonicalTests: XCTestCase {
  func resolved(_ yaml: String, _ overrides: [String] = []) throws -> Config {
    let config = try Config(yaml: yaml, source: "run.yaml", overrides: overrides)
    _ = try SampleSchema(config)
    try config.rejectUnusedKeys()
    return config
  }

  func testCanonicalTextListsEveryResolvedValueSorted() throws {
    let config = try resolved(sampleYAML)
    XCTAssertEqual(config.canonicalText, """
      ema: null
      model:
        layers:
          - kind: "coupling"
            width: 8
          - kind: "actnorm"
            width: 4
      trainer:
        clip: 1.5
        hidden: [64, 32]
        lr: 0.001
        name: "001"
        schedule: "cosine"
        seed: null
        shuffle: true
        steps: 100

      """)
  }

  func testStableUnderKeyOrderAndNumberSpelling() throws {
    let reordered = """
      model:
        layers:
          - width: 8
            kind: coupling
          - kind: actnorm
      trainer:
        name: '001'
        shuffle: True
        steps: 100
        hidden:
          - 64
          - 32
        schedule: cosine
        lr: 0.001
      """
    let a = try resolved(sampleYAML), b = try resolved(reordered)
    XCTAssertEqual(a.canonicalText, b.canonicalText)
    XCTAssertEqual(a.canonicalHash, b.canonicalHash)
    // An override that sets the value the file already has changes nothing.
    XCTAssertEqual(try resolved(sampleYAML, ["trainer.lr=1.0e-3"]).canonicalHash, a.canonicalHash)
  }

  func testDifferentValuesGiveDifferentHashes() throws {
    let base = try resolved(sampleYAML).canonicalHash
    var hashes: Set<UInt64> = [base]
    for override in ["trainer.lr=0.0010000001", "trainer.steps=101", "trainer.name=1", "trainer.seed=0",
                     "trainer.hidden=[32, 64]", "trainer.clip=1.5000001"] {
      hashes.insert(try resolved(sampleYAML, [override]).canonicalHash)
    }
    XCTAssertEqual(hashes.count, 7)
  }

  func testCanonicalTextReadsBackToItself() throws {
    for overrides in [[], ["trainer.seed=7", "ema.decay=0.999", "trainer.name=a \"q\"\tb"]] {
      let first = try resolved(sampleYAML, overrides)
      let second = try resolved(first.canonicalText)
      XCTAssertEqual(second.canonicalText, first.canonicalText, "\(overrides)")
    }
  }

  func testHashIsFNV1aOfTheText() throws {
    let empty = try Config(yaml: "", source: "e.yaml")
    XCTAssertEqual(empty.canonicalText, "{}\n")
    // FNV-1a 64 of "{}\n", computed with an independent Python implementation.
    XCTAssertEqual(empty.canonicalHash, 0xc735_ad19_83dc_7ddd)
  }
}
