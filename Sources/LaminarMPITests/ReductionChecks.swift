import Collectives

/// Σ(rank+1) = W(W+1)/2, max(rank+1) = W, min(rank+1) = 1 for every type and op, through the
/// buffer, array and single-value forms; then values that only survive the right wire type.
func checkReductions(_ h: MPITestHarness) {
  checkClosedForms(Float.self, h)
  checkClosedForms(Double.self, h)
  checkClosedForms(Int32.self, h)
  checkClosedForms(Int64.self, h)
  checkClosedForms(UInt64.self, h)
  checkWireTypes(h)
}

private func closedForm(_ op: ReductionOp, size w: Int) -> Int {
  switch op {
  case .sum: w * (w + 1) / 2
  case .max: w
  case .min: 1
  }
}

private func checkClosedForms<T: CollectiveScalar>(_: T.Type, _ h: MPITestHarness) {
  for op in ReductionOp.allCases {
    h.run("allReduce \(T.self) \(op)") { e in
      // Element i on rank r is (r + 1)(i + 1), so element i reduces to closedForm · (i + 1).
      var values = (0..<7).map { i in T(exactly: (h.rank + 1) * (i + 1))! }
      try h.comm.allReduce(&values, op)
      for i in values.indices {
        let expected = T(exactly: closedForm(op, size: h.size) * (i + 1))!
        e.expect(values[i] == expected, "element \(i) = \(values[i]), expected \(expected)")
      }
      let single = try h.comm.allReduced(T(exactly: h.rank + 1)!, op)
      let expected = T(exactly: closedForm(op, size: h.size))!
      e.expect(single == expected, "single value \(single), expected \(expected)")
    }
  }
}

/// Values a wrong MPI datatype would corrupt: Double precision, 64-bit range, unsignedness.
private func checkWireTypes(_ h: MPITestHarness) {
  let w = h.size, r = h.rank
  let triangle = w * (w + 1) / 2
  h.run("allReduce Double keeps 2^-40 next to 1") { e in
    let sum = try h.comm.allReduced(1 + Double(r + 1) * 0x1p-40, .sum)
    e.expect(sum == Double(w) + Double(triangle) * 0x1p-40, "sum \(sum)")
  }
  h.run("allReduce Int32 and Int64 keep their range") { e in
    let small = try h.comm.allReduced(Int32(-(r + 1)) << 24, .sum)
    e.expect(small == Int32(-triangle) << 24, "Int32 sum \(small)")
    let large = try h.comm.allReduced(Int64(-(r + 1)) << 40, .sum)
    e.expect(large == Int64(-triangle) << 40, "Int64 sum \(large)")
  }
  h.run("allReduce UInt64 max is unsigned") { e in
    // Rank 0 holds 1, the others 2^63 + r: signed comparison would pick 1.
    let value: UInt64 = r == 0 ? 1 : 1 << 63 + UInt64(r)
    let max = try h.comm.allReduced(value, .max)
    let expected: UInt64 = w == 1 ? 1 : 1 << 63 + UInt64(w - 1)
    e.expect(max == expected, "max \(max), expected \(expected)")
  }
}
