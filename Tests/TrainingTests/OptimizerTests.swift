import Autodiff
import TensorCore
import Training
import XCTest

/// A store of scalars named p0, p1, … with the given values.
func makeStore(_ values: [Float]) -> ParameterStore<Float> {
  let store = ParameterStore<Float>()
  for i in values.indices { store.add("p\(i)", shape: Shape([1])) }
  _ = store.values.update(fromContentsOf: values)
  return store
}

func setGradients(_ store: ParameterStore<Float>, _ gradients: [Float]) {
  _ = store.gradients.update(fromContentsOf: gradients)
}

final class OptimizerTests: XCTestCase {
  let theta0: [Double] = [0.5, -1.5, 2.0]
  let gradientSteps: [[Double]] = [[0.1, -0.2, 3.0], [-0.3, 0.05, 1.0], [0.0, 0.4, -2.0]]

  /// Adam by the paper's Algorithm 1 (plus decoupled decay), in Float64.
  func referenceAdam(lr: Double, weightDecay: Double) -> [Double] {
    let (b1, b2, eps) = (0.9, 0.999, 1e-8)
    var theta = theta0, m = [0.0, 0, 0], v = [0.0, 0, 0]
    for (k, g) in gradientSteps.enumerated() {
      let t = Double(k + 1)
      for i in theta.indices {
        m[i] = b1 * m[i] + (1 - b1) * g[i]
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
        let mHat = m[i] / (1 - pow(b1, t)), vHat = v[i] / (1 - pow(b2, t))
        theta[i] = theta[i] * (1 - lr * weightDecay) - lr * mHat / (vHat.squareRoot() + eps)
      }
    }
    return theta
  }

  func run(_ optimizer: any Optimizer, lr: Double) -> [Float] {
    let store = makeStore(theta0.map(Float.init))
    for g in gradientSteps {
      setGradients(store, g.map(Float.init))
      optimizer.update(store, learningRate: lr)
    }
    return Array(store.values)
  }

  func testAdamMatchesHandComputedSteps() {
    for weightDecay in [0.0, 0.1] {
      let got = run(Adam(parameterCount: 3, weightDecay: weightDecay), lr: 0.01)
      let want = referenceAdam(lr: 0.01, weightDecay: weightDecay)
      for i in want.indices {
        XCTAssertEqual(Double(got[i]), want[i], accuracy: 1e-6, "θ[\(i)], weight decay \(weightDecay)")
      }
    }
  }

  func testAdamaxMatchesHandComputedSteps() {
    let (lr, b1, b2, eps) = (0.02, 0.9, 0.999, 1e-8)
    var theta = theta0, m = [0.0, 0, 0], u = [0.0, 0, 0]
    for (k, g) in gradientSteps.enumerated() {
      for i in theta.indices {
        m[i] = b1 * m[i] + (1 - b1) * g[i]
        u[i] = max(b2 * u[i], abs(g[i]) + eps)
        theta[i] -= lr / (1 - pow(b1, Double(k + 1))) * m[i] / u[i]
      }
    }
    let got = run(Adamax(parameterCount: 3), lr: lr)
    for i in theta.indices { XCTAssertEqual(Double(got[i]), theta[i], accuracy: 1e-6, "θ[\(i)]") }
  }

  /// f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)² with curvatures over two orders of magnitude.
  func testAdamConvergesOnQuadratic() {
    let a: [Float] = [0.1, 1, 10], c: [Float] = [3, -2, 0.5]
    let store = makeStore([0, 0, 0])
    let adam = Adam(parameterCount: 3)
    let schedule = LearningRateSchedule(peak: 0.1, warmupSteps: 10, decay: .cosine, totalSteps: 1500)
    for step in 0..<1500 {
      setGradients(store, (0..<3).map { a[$0] * (store.values[$0] - c[$0]) })
      adam.update(store, learningRate: schedule.learningRate(atStep: step))
    }
    for i in 0..<3 { XCTAssertEqual(store.values[i], c[i], accuracy: 1e-3, "θ[\(i)]") }
  }

  /// Ten steps straight equal five steps, a save/restore into a fresh optimizer, and five more.
  func testStateRestoreResumesBitExactly() throws {
    for kind in OptimizerKind.allCases {
      let settings = OptimizerSettings(kind: kind, weightDecay: 0.01)
      func steps(_ store: ParameterStore<Float>, _ optimizer: any Optimizer, _ range: Range<Int>) {
        for step in range {
          setGradients(store, (0..<3).map { store.values[$0] * Float(step + $0) - 1 })
          optimizer.update(store, learningRate: 0.05)
        }
      }
      let straight = makeStore([0.3, -0.7, 1.1])
      steps(straight, settings.makeOptimizer(parameterCount: 3), 0..<10)

      let first = makeStore([0.3, -0.7, 1.1])
      let firstOptimizer = settings.makeOptimizer(parameterCount: 3)
      steps(first, firstOptimizer, 0..<5)
      let saved = firstOptimizer.state
      XCTAssertEqual(saved.stepCount, 5)
      let resumed = makeStore(Array(first.values))
      let resumedOptimizer = settings.makeOptimizer(parameterCount: 3)
      try resumedOptimizer.restore(saved)
      steps(resumed, resumedOptimizer, 5..<10)

      XCTAssertEqual(Array(resumed.values).map(\.bitPattern), Array(straight.values).map(\.bitPattern), "\(kind)")
    }
  }

  func testRestoreRejectsForeignState() {
    let adam = Adam(parameterCount: 3)
    let adamaxState = Adamax(parameterCount: 3).state
    XCTAssertThrowsError(try adam.restore(adamaxState)) { error in
      XCTAssertTrue("\(error)".contains("saved by adamax but the run uses adam"), "\(error)")
    }
    let wrongSize = OptimizerState(kind: .adam, stepCount: 1, m: [0, 0], v: [0, 0])
    XCTAssertThrowsError(try adam.restore(wrongSize)) { error in
      XCTAssertTrue("\(error)".contains("model has 3 parameters"), "\(error)")
    }
  }
}
