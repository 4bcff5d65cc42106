import Autodiff
import Configuration
import Flows
import Models
import TensorCore
import Training
import XCTest
import _TestSupport

final class ImageFlowSpecTests: XCTestCase {
  /// The peer's Glow for 8×8 digits (BENCHMARKS.md row c): L = 2, K = 4, width 64, LU 1×1
  /// convolutions, sigmoid(h + 2) affine couplings, N(0, I) priors.
  static let glowDigits = """
    model: {family: glow, levels: 2, steps: 4, width: 64, transform: affine_sigmoid, mixing: conv1x1_lu,
            actnorm: true, prior: standard_normal, split_prior: standard_normal}
    """

  private func spec(_ yaml: String) throws -> ModelSpec {
    let config = try Config(yaml: yaml, source: "test.yaml")
    let spec = try ModelSpec(config: config.section("model"))
    try config.rejectUnusedKeys()
    return spec
  }

  /// Parameters of one Glow step on C channels: actnorm 2C, LU 1×1 conv 2C² + C (full L and U
  /// matrices, as normflows stores them), and the coupling network C/2 → 64 (3×3) → 64 (1×1) → C (3×3)
  /// with biases.
  private func glowStepParameters(_ c: Int, width w: Int = 64) -> Int {
    2 * c + (2 * c * c + c) + (c / 2 * w * 9 + w) + (w * w + w) + (w * c * 9 + c)
  }

  func testGlowDigitsHasThePeersParameterCountAndRoundTrips() throws {
    guard case .image(let s) = try spec(Self.glowDigits) else { return XCTFail("glow must be an image family") }
    let store = ParameterStore<Double>()
    let model = s.build(eventShape: [1, 8, 8], parameters: store, seed: 7)
    // Level 1 runs on 4×4×4 (squeezed 1×8×8), level 2 on 8×2×2 (squeezed kept half 2×4×4).
    XCTAssertEqual(store.count, 4 * glowStepParameters(4) + 4 * glowStepParameters(8))
    XCTAssertEqual(store.count, 76_096)

    store.initialize(seed: 1)
    var rng = SeededGenerator(seed: 2)
    for i in store.values.indices { store.values[i] += Double.random(in: -0.05...0.05, using: &rng) }
    let tape = Tape<Double>(parameters: store)
    let x = tape.input(Tensor(shape: [3, 1, 8, 8], scalars: (0..<192).map { _ in Double.random(in: -0.5...0.5, using: &rng) }))
    let z = model.encode(x)
    XCTAssertEqual(z.shape, [3, 1, 8, 8])
    let back = model.decode(z)
    let error = zip(back.value, x.value).map { abs($0 - $1) }.max()!
    XCTAssertLessThan(error, 1e-10)
    XCTAssertTrue(model.logLikelihood(x).value.allSatisfy(\.isFinite))
  }

  func testEveryImageFamilyAndOptionBuildsAFiniteInvertibleModel() throws {
    let variants = [
      "{family: glow, levels: 2, steps: 1, width: 4, mixing: conv1x1, prior: learned, split_prior: conditional}",
      "{family: glow, levels: 1, steps: 2, width: 4, mixing: random, transform: additive, actnorm: false}",
      "{family: glow, levels: 3, steps: 1, width: 4, mixing: reverse, split_prior: learned}",
      "{family: realnvp_image, levels: 2, steps: 2, width: 4}",
      "{family: realnvp_image, levels: 1, steps: 1, width: 4, prior: learned, actnorm: true}",
    ]
    for variant in variants {
      let s = try spec("model: \(variant)")
      XCTAssertNil(s.problem(with: [2, 8, 8]), variant)
      let store = ParameterStore<Double>()
      let model = s.build(eventShape: [2, 8, 8], parameters: store, seed: 3)
      store.initialize(seed: 4)
      let tape = Tape<Double>(parameters: store)
      let x = tape.input(Tensor(shape: [2, 2, 8, 8], scalars: (0..<256).map { Double($0 % 17) / 17 - 0.5 }))
      XCTAssertTrue(model.logLikelihood(x).value.allSatisfy(\.isFinite), variant)
      let error = zip(model.decode(model.encode(x)).value, x.value).map { abs($0 - $1) }.max()!
      XCTAssertLessThan(error, 1e-10, variant)
    }
  }

  func testDefaultsFollowThePapers() throws {
    guard case .image(let glow) = try spec("model: {family: glow}"),
          case .image(let realnvp) = try spec("model: {family: realnvp_image}")
    else { return XCTFail("image families expected") }
    XCTAssertEqual(glow.architecture, MultiScaleArchitecture(
      style: .glow, levels: 2, steps: 4, width: 64, transform: .affine(.affineSigmoid), mixing: .conv1x1LU, actnorm: true,
      topPrior: .standardNormal, splitPrior: .conditional))
    XCTAssertEqual(realnvp.architecture.style, .realnvp)
    XCTAssertEqual(realnvp.architecture.transform, .affine(.affineTanh))
    XCTAssertEqual(realnvp.architecture.splitPrior, .standardNormal)
    XCTAssertFalse(realnvp.architecture.actnorm)
  }

  func testKeysOfOtherFamiliesAreRejected() throws {
    for (yaml, key) in [("model: {family: glow, hidden: [64]}", "model.hidden"),
                        ("model: {family: realnvp_image, mixing: reverse}", "model.mixing"),
                        ("model: {family: realnvp, levels: 2}", "model.levels")] {
      XCTAssertThrowsError(try spec(yaml), yaml) { XCTAssertTrue("\($0)".contains(key), "\($0)") }
    }
  }

  func testMisspeltFamilyListsEveryFamily() throws {
    XCTAssertThrowsError(try spec("model: {family: glwo}")) { error in
      XCTAssertTrue("\(error)".contains("Did you mean 'glow'"), "\(error)")
      XCTAssertTrue("\(error)".contains("realnvp_image") && "\(error)".contains("maf"), "\(error)")
    }
  }

  func testShapesTheModelCannotTakeAreExplained() throws {
    let glow = try spec("model: {family: glow, levels: 4}")
    XCTAssertNil(glow.problem(with: [1, 16, 16]))
    XCTAssertTrue(glow.problem(with: [1, 8, 8])?.contains("multiples of 16") ?? false)
    XCTAssertTrue(glow.problem(with: [64])?.contains("[C, H, W]") ?? false)
    let vector = try spec("model: {family: maf}")
    XCTAssertNil(vector.problem(with: [5]))
    XCTAssertTrue(vector.problem(with: [1, 8, 8])?.contains("use family glow or realnvp_image") ?? false)
  }
}
