import Configuration
import XCTest

final class ConfigComparisonTests: XCTestCase {
  func testConfigComparisonListsEachDifferenceInTheMatchingSections() throws {
    let saved = "model:\n  hidden: [64, 64]\n  layers: 8\ntrainer:\n  lr: 0.001\n"
    let current = "model:\n  hidden: [64, 32, 16]\n  layers: 8\ntrainer:\n  lr: 0.01\n"
    XCTAssertEqual(try ConfigComparison.differences(saved: saved, current: current, sections: ["model"]), [
      "model.hidden[1]: checkpoint has 64, this run has 32",
      "model.hidden[2]: checkpoint has nothing, this run has 16",
    ])
    XCTAssertEqual(try ConfigComparison.differences(saved: saved, current: saved, sections: ["model", "trainer"]), [])
  }
}
