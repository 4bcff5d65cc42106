import Evaluation
import XCTest
import _TestSupport

/// AUROC against hand-computed cases and a brute-force count over all positive–negative pairs.
final class ROCTests: XCTestCase {
  func testHandComputedCases() throws {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats only 0.1, 0.8 beats both → 3/4.
    XCTAssertEqual(try ROC.areaUnderCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]), 0.75)
    // A tie counts one half: positives {1, 2} against negative {1} → (½ + 1)/2.
    XCTAssertEqual(try ROC.areaUnderCurve(scores: [1.0, 1, 2], labels: [false, true, true]), 0.75)
    XCTAssertEqual(try ROC.areaUnderCurve(scores: [Float](repeating: 3, count: 5), labels: [0, 1, 0, 1, 1]), 0.5)
    XCTAssertEqual(try ROC.areaUnderCurve(scores: [1.0, 2, 3, 4], labels: [0, 0, 1, 1]), 1)
    XCTAssertEqual(try ROC.areaUnderCurve(scores: [1.0, 2, 3, 4], labels: [1, 1, 0, 0]), 0)
    // Ranks of [5, 1, 5, 3, 5]: 1 → 1, 3 → 2, the three 5s share (3 + 4 + 5)/3 = 4.
    XCTAssertEqual(ROC.averageRanks([5.0, 1, 5, 3, 5]), [4, 1, 4, 2, 4])
  }

  func testMatchesPairwiseCountOnRandomDataWithTies() throws {
    var rng = SeededGenerator(seed: 9)
    for trial in 0..<20 {
      let n = Int.random(in: 2...300, using: &rng)
      // Few distinct values so that ties are common; positives shifted up a little.
      let labels = (0..<n).map { i in i == 0 ? true : i == 1 ? false : Bool.random(using: &rng) }
      let scores = labels.map { Double(Int.random(in: 0...6, using: &rng) + ($0 ? 1 : 0)) }
      var wins = 0.0, pairs = 0.0
      for i in 0..<n where labels[i] {
        for j in 0..<n where !labels[j] {
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
          pairs += 1
        }
      }
      XCTAssertEqual(try ROC.areaUnderCurve(scores: scores, labels: labels), wins / pairs, accuracy: 1e-12,
                     "trial \(trial), n \(n) (seed 9)")
    }
  }

  func testBadInputsNameTheProblem() {
    XCTAssertThrowsError(try ROC.areaUnderCurve(scores: [1.0, 2], labels: [0, 0])) {
      XCTAssertEqual("\($0)", "AUROC needs both classes: all 2 labels are 0; add examples labelled 1")
    }
    XCTAssertThrowsError(try ROC.areaUnderCurve(scores: [1.0, 2], labels: [0, 2])) {
      XCTAssertEqual("\($0)", "label 2 at row 1 is not binary; AUROC needs labels 0 (normal) or 1 (anomaly)")
    }
    XCTAssertThrowsError(try ROC.areaUnderCurve(scores: [1.0, .nan], labels: [0, 1])) {
      XCTAssertTrue("\($0)".hasPrefix("AUROC got a NaN score at row 1"))
    }
    XCTAssertThrowsError(try ROC.areaUnderCurve(scores: [1.0], labels: [0, 1])) {
      XCTAssertTrue("\($0)".hasPrefix("AUROC got 1 scores but 2 labels"))
    }
  }
}
