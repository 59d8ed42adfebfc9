// swift-tools-version:6.2
import PackageDescription

// Targets are layered: Model (no I/O) <- Text <- Knowledge <- Extraction <- CLI <- parley.
let package = Package(
  name: "Parley",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "parley", targets: ["parley"]),
    .library(name: "ParleyExtraction", targets: ["ParleyExtraction"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
  ],
  targets: [
    .target(name: "ParleyModel"),
    .target(name: "ParleyText", dependencies: ["ParleyModel"]),
    .target(
      name: "ParleyKnowledge",
      dependencies: ["ParleyModel", "ParleyText"],
      resources: [.copy("Resources/kb"), .copy("Resources/lexicon")]
    ),
    .target(name: "ParleyExtraction", dependencies: ["ParleyModel", "ParleyText", "ParleyKnowledge"]),
    .target(
      name: "ParleyCLI",
      dependencies: [
        "ParleyModel", "ParleyText", "ParleyKnowledge", "ParleyExtraction",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "parley", dependencies: ["ParleyCLI"]),
    .testTarget(
      name: "ParleyTests",
      dependencies: [
        "ParleyModel", "ParleyText", "ParleyKnowledge", "ParleyExtraction", "ParleyCLI",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
  ]
)
