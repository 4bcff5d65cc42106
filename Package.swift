// swift-tools-version:6.0
import PackageDescription

// Release builds: bounds checks off in hot loops, x86-64-v3 (AVX2 + FMA) for Swift and C.
let fast: [SwiftSetting] = [
  .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked", "-Xcc", "-march=x86-64-v3"],
               .when(configuration: .release)),
]

let package = Package(
  name: "Laminar",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "laminar", targets: ["laminar"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                   providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
    .target(name: "Collectives", swiftSettings: fast),
    .target(name: "MPI", dependencies: ["CMPI", "Collectives"], swiftSettings: fast),
    .target(name: "TensorCore", dependencies: ["CBLAS"], swiftSettings: fast),
    .target(name: "Autodiff", dependencies: ["TensorCore"], swiftSettings: fast),
    .target(name: "Graphics", swiftSettings: fast),
    .executableTarget(
      name: "laminar",
      dependencies: ["Collectives", "MPI", "TensorCore", "Autodiff",
                     .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: fast),
    // Run by launch/test under `mpirun -np 2` and `-np 3`; `swift test` never needs mpirun.
    .executableTarget(name: "LaminarMPITests", dependencies: ["Collectives", "MPI", "TensorCore"],
                      swiftSettings: fast),

    .target(name: "_TestSupport", dependencies: ["TensorCore", "Autodiff"], path: "Tests/_TestSupport"),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "_TestSupport"]),
    .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "_TestSupport"]),
    .testTarget(name: "CollectivesTests", dependencies: ["Collectives"]),
    .testTarget(name: "GraphicsTests", dependencies: ["Graphics"]),
  ]
)
