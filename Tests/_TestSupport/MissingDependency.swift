import Foundation
import XCTest

/// A tool a cross-check needs (python3, NumPy) is missing: the test skips on a developer's
/// machine but fails under CI (`CI=true`), where launch/setup provisions the tool and a skip would
/// hide that the check never ran.
public struct MissingDependency: Error, CustomStringConvertible {
  public let description: String

  /// `XCTSkip(what)`, or under `CI=true` a `MissingDependency`, which fails the test that throws it.
  public static func skipOrFail(_ what: String) -> any Error {
    if isCI { return MissingDependency(description: "\(what); CI=true requires it (launch/setup installs it)") }
    return XCTSkip("\(what) (under CI=true this fails instead of skipping)")
  }

  /// Whether the environment variable `CI` is `true`, as CI services set it.
  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
