/// A plain-text table of benchmark rows, columns aligned.
struct BenchmarkTable {
  let title: String
  let rows: [BenchmarkRow]

  var text: String {
    let cells = rows.map { [$0.name, format($0.value), $0.unit, $0.ratio] }
    let header = ["benchmark", "value", "unit", "ratio"]
    let widths = (0..<4).map { c in ([header] + cells).map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
      (0..<4).map { c in c == 1 ? pad(r[c], widths[c], left: true) : pad(r[c], widths[c], left: false) }
        .joined(separator: "  ")
    }
    let rule = String(repeating: "-", count: widths.reduce(0, +) + 6)
    return ([title, line(header), rule] + cells.map(line)).joined(separator: "\n")
  }

  private func pad(_ s: String, _ width: Int, left: Bool) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return left ? fill + s : s + fill
  }

  /// Three significant decimals for small values, one for large ones.
  private func format(_ v: Double) -> String {
    guard v.isFinite else { return "\(v)" }
    let decimals = abs(v) >= 100 ? 1 : abs(v) >= 1 ? 2 : 4
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (v * scale).rounded() / scale
    var s = "\(rounded)"
    if let dot = s.firstIndex(of: ".") {
      let have = s.distance(from: dot, to: s.endIndex) - 1
      if have < decimals { s += String(repeating: "0", count: decimals - have) }
    }
    return s
  }
}
