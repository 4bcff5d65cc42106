import Collectives
import XCTest

/// The data-parallel contract: training the same global batch on W ranks gives the parameters of
/// 1 rank, whatever trains them (the maximum-likelihood trainer, the variational one…).
///
/// Every simulated rank runs on its own thread with its own `ThreadedCommunicator`, and `train`
/// builds that rank's own model, parameter store and trainer, trains, and returns its parameters.
public enum RankInvariance {
  /// Every rank's final parameters, by rank, from `train` on `ranks` in-process ranks.
  public static func finalParameters(
    ranks: Int, _ train: @escaping @Sendable (any Communicator) throws -> [Float]
  ) throws -> [[Float]] {
    try ThreadedGroup.run(size: ranks) { communicator in try train(communicator) }
  }

  /// Asserts that every rank of a run on each of `rankCounts` ranks ends with the parameters of a
  /// 1-rank run, element by element within `relativeTolerance` · max(1, |value|), and that the
  /// ranks of one run agree exactly. Returns the 1-rank parameters.
  @discardableResult
  public static func assertMatchesOneRank(
    rankCounts: [Int], relativeTolerance: Float, file: StaticString = #filePath, line: UInt = #line,
    _ train: @escaping @Sendable (any Communicator) throws -> [Float]
  ) throws -> [Float] {
    let reference = try finalParameters(ranks: 1, train)[0]
    for ranks in rankCounts {
      let parameters = try finalParameters(ranks: ranks, train)
      for (rank, values) in parameters.enumerated() where rank > 0 {
        XCTAssertEqual(values, parameters[0], "\(ranks) ranks: rank \(rank) diverged from rank 0", file: file, line: line)
      }
      if let problem = worstDifference(parameters[0], reference, relativeTolerance: relativeTolerance) {
        XCTFail("\(ranks) ranks vs 1 rank: \(problem)", file: file, line: line)
      }
    }
    return reference
  }

  /// The element of `values` farthest from `reference` beyond the tolerance, described; nil when
  /// every element is within it.
  static func worstDifference(_ values: [Float], _ reference: [Float], relativeTolerance: Float) -> String? {
    guard values.count == reference.count else { return "\(values.count) parameters, expected \(reference.count)" }
    let excess = zip(values, reference).map { abs($0 - $1) / max(1, abs($1)) }
    guard let worst = excess.indices.max(by: { excess[$0] < excess[$1] }), excess[worst] > relativeTolerance else {
      return nil
    }
    return "parameter \(worst) is \(values[worst]), expected \(reference[worst]) "
      + "(relative difference \(excess[worst]) > \(relativeTolerance))"
  }
}
