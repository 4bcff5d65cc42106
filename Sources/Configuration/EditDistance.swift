/// "Did you mean" suggestions for mistyped keys and choices.
enum EditDistance {
  /// Optimal-string-alignment distance between `a` and `b`, ignoring case: insertions,
  /// deletions, substitutions and swaps of neighbours each cost 1, so `stesp` is one edit from
  /// `steps` (plain Levenshtein counts a swap as 2, and swaps are the commonest typo).
  ///
  /// Reference: Damerau 1964, "A technique for computer detection and correction of spelling errors".
  static func between(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased()), y = Array(b.lowercased())
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    // d[i][j] = distance between x[..<i] and y[..<j]; three rows suffice for the swap term.
    var beforePrevious = [Int](repeating: 0, count: y.count + 1)
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        current[j] = min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
          current[j] = min(current[j], beforePrevious[j - 2] + 1)
        }
      }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[y.count]
  }

  /// The candidate closest to `word`, if it is close enough to be a likely typo: at most a third
  /// of the word's length away (at least 1, at most 3 edits). Ties go to the first candidate.
  static func suggestion(for word: String, among candidates: [String]) -> String? {
    let limit = max(1, min(3, word.count / 3))
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let d = between(word, candidate)
      if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
    }
    return best?.candidate
  }
}
