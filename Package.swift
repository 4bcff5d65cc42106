// swift-tools-version:6.0
import PackageDescription

// Release builds: -O (bounds and overflow checks kept: an -Ounchecked build corrupted the heap
// when sampling an image model; launch/memcheck finds sampling clean under -O and -Ounchecked and the
// one heap overrun it found, issue 11, in Trainer's step reservation, but a full -Ounchecked
// memcheck and a quiet-machine benchmark are still to do), AVX2 + FMA
// (x86-64-v3), and no errno from libm so loops with sqrt vectorize (Adam ran 6x slower without it).
let fast: [SwiftSetting] = [
  .unsafeFlags(["-enforce-exclusivity=unchecked", "-Xcc", "-march=x86-64-v3", "-Xcc", "-fno-math-errno"],
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
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
  ],
  targets: [
    .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                   providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CSndfile", path: "Sources/CSndfile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
    .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
    .target(name: "CAffinity"),
    .target(name: "Support", dependencies: ["CAffinity"], swiftSettings: fast),
    .target(name: "Configuration", dependencies: ["Support", .product(name: "Yams", package: "Yams")],
            swiftSettings: fast),
    .target(name: "Collectives", swiftSettings: fast),
    .target(name: "MPI", dependencies: ["CMPI", "Collectives"], swiftSettings: fast),
    // -O3 for the loops clang vectorizes (debug builds too: the tests time nothing, but the
    // trainer's tests run long), AVX2 + FMA in release as for the Swift targets.
    .target(name: "CVectorMath", cSettings: [
      .unsafeFlags(["-O3", "-fno-math-errno"]),
      .unsafeFlags(["-march=x86-64-v3"], .when(configuration: .release)),
    ]),
    .target(name: "TensorCore", dependencies: ["CBLAS", "CVectorMath"], swiftSettings: fast),
    .target(name: "Autodiff", dependencies: ["TensorCore"], swiftSettings: fast),
    // The embedded digits (8×8, 17 levels) compiled in as C arrays generated from digits/*.npy, so
    // the binary needs no resource bundle beside it.
    .target(name: "CEmbeddedDigits", exclude: ["digits", "generate.sh"]),
    .target(name: "Datasets", dependencies: ["TensorCore", "Evaluation", "Graphics", "Support", "CEmbeddedDigits"],
            swiftSettings: fast),
    .target(name: "Evaluation", dependencies: ["Graphics"], swiftSettings: fast),
    .target(name: "VariationalTargets", dependencies: ["TensorCore", "Autodiff"], swiftSettings: fast),
    .target(name: "Flows", dependencies: ["Autodiff", "Collectives"], swiftSettings: fast),
    .target(name: "Training",
            dependencies: ["Autodiff", "Collectives", "Configuration", "Datasets", "Evaluation", "Flows", "Support"],
            swiftSettings: fast),
    .target(name: "Graphics", dependencies: ["CPNG", "Support"], swiftSettings: fast),
    // Speech (issue 9): audio files, the mel front end and Griffin-Lim, speech data sets.
    .target(name: "Audio", dependencies: ["CSndfile", "Support"], swiftSettings: fast),
    .target(name: "Spectral", dependencies: ["CFFTW"], swiftSettings: fast),
    .target(name: "SpeechData", dependencies: ["Audio", "Datasets", "Spectral", "Support", "TensorCore"],
            swiftSettings: fast),
    .target(name: "VocoderEvaluation", dependencies: ["Audio", "Graphics", "Spectral"], swiftSettings: fast),
    .target(name: "Models", dependencies: ["Configuration", "Flows", "Graphics", "Support"], swiftSettings: fast),
    .target(name: "Runs", dependencies: ["Configuration", "Models", "Datasets", "Training", "Graphics", "Evaluation", "Support", "SpeechData", "Spectral"],
            swiftSettings: fast),
    .target(name: "Variational",
            dependencies: ["Configuration", "Flows", "Models", "Training", "VariationalTargets", "Graphics", "Collectives",
                           "Support"],
            swiftSettings: fast),
    .executableTarget(
      name: "laminar",
      dependencies: ["Collectives", "MPI", "TensorCore", "Autodiff", "Datasets", "Evaluation", "Graphics",
                     "Flows", "Runs", "Support", "Training", "Variational", "Audio", "Spectral", "SpeechData", "VocoderEvaluation",
                     .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: fast),
    // Run by launch/test under `mpirun -np 2` and `-np 3`; `swift test` never needs mpirun.
    .executableTarget(name: "LaminarMPITests",
                      dependencies: ["Collectives", "MPI", "TensorCore", "Autodiff", "Datasets", "Flows", "Support", "Training",
                                     "Configuration", "Models", "SpeechData"],
                      swiftSettings: fast),

    // Fuzz targets (launch/fuzz): libFuzzer entry points under `-D FUZZING`, corpus replay tools otherwise.
    .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
    .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
    .executableTarget(name: "FuzzNpy", dependencies: ["Datasets", "FuzzSupport"]),
    .executableTarget(name: "FuzzSafetensors", dependencies: ["Autodiff", "Datasets", "FuzzSupport", "Runs", "TensorCore",
                                                              "Training"]),
    .executableTarget(name: "FuzzPNG", dependencies: ["FuzzSupport", "Graphics"]),
    .executableTarget(name: "FuzzConfig", dependencies: ["Configuration", "FuzzSupport", "Runs"]),

    .target(name: "_TestSupport", dependencies: ["TensorCore", "Autodiff", "Collectives"], path: "Tests/_TestSupport"),
    // Test-only: counts malloc calls per thread by interposing glibc's allocator (see its header).
    .target(name: "CAllocCounter"),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "_TestSupport"]),
    .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "_TestSupport", "CAllocCounter"]),
    .testTarget(name: "CollectivesTests", dependencies: ["Collectives", "_TestSupport"]),
    .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Evaluation", "Graphics", "Support", "_TestSupport"],
                exclude: ["Fixtures"]),
    .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Graphics", "_TestSupport"]),
    .testTarget(name: "VariationalTargetsTests", dependencies: ["VariationalTargets", "_TestSupport"]),
    .testTarget(name: "FlowsTests", dependencies: ["Flows", "Models", "_TestSupport", "CAllocCounter"]),
    .testTarget(name: "TrainingTests", dependencies: ["Configuration", "Training", "Flows", "Models", "Datasets", "Support", "_TestSupport",
                                                     "CAllocCounter"]),
    .testTarget(name: "GraphicsTests", dependencies: ["Graphics", "CZlib", "_TestSupport"]),
    .testTarget(name: "AudioTests", dependencies: ["Audio", "CSndfile", "Support"]),
    .testTarget(name: "SpectralTests", dependencies: ["Spectral", "_TestSupport"]),
    .testTarget(name: "VocoderEvaluationTests", dependencies: ["Graphics", "Spectral", "VocoderEvaluation"]),
    .testTarget(name: "SpeechDataTests", dependencies: ["Audio", "Datasets", "SpeechData", "Spectral", "TensorCore",
                                                       "_TestSupport"]),
    .testTarget(name: "ModelsTests", dependencies: ["Configuration", "Models", "Training", "_TestSupport"]),
    .testTarget(name: "RunsTests", dependencies: ["Configuration", "Runs", "_TestSupport"]),
    .testTarget(name: "VariationalTests", dependencies: ["Collectives", "Configuration", "Models", "Training", "Variational",
                                                         "_TestSupport"]),
    // Runs the built `laminar` executable as a subprocess; `swift test` builds it too.
    .testTarget(name: "CLITests", dependencies: ["_TestSupport", "Evaluation", "Graphics"]),
  ]
)
