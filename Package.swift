// swift-tools-version:6.2
import PackageDescription

// Targets are layered:
//   Model (no I/O) <- Text <- Knowledge <- Extraction
//   Model <- Text <- Syntax (tagger, lemmatizer, dependency parser; a trained model as a resource)
//   YAML (strict reading of hand-written YAML files) <- Record, Strategy
//   Strategy (GMCR stability analysis, its file formats, drafting a model from positions; no SQL)
//   Record (cross-article merging rules, no I/O) <- Store (SQLite; also -> Strategy) <- Server (HTTP)
//   Store <- Benchmarks (corpus generators, their word lists as resources, the benchmark runs)
//   Store <- Postgres (PostgreSQL schema, connection and `parley copy`; built only with the PostgreSQL trait)
//   CLI <- parley (thin executable)
let package = Package(
  name: "Parley",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "parley", targets: ["parley"]),
    .library(name: "ParleyExtraction", targets: ["ParleyExtraction"]),
    .library(name: "ParleyStore", targets: ["ParleyStore"]),
  ],
  // The PostgreSQL store pulls swift-crypto and NIOSSL (about 6 more minutes on a first build), so
  // it is opt-in: `swift build --traits PostgreSQL`. The default build stays SQLite only.
  traits: [
    .trait(name: "PostgreSQL", description: "Build the PostgreSQL store (parley copy, --db postgresql://)."),
    .default(enabledTraits: []),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(
      url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: [
    .target(name: "ParleyModel"),
    .target(name: "ParleyText", dependencies: ["ParleyModel"]),
    // A prefetch hint for the syntax models' table lookups (Swift has no intrinsic for it).
    .target(name: "CParleyPrefetch"),
    .target(
      name: "ParleySyntax",
      dependencies: ["ParleyModel", "ParleyText", "CParleyPrefetch"],
      resources: [.copy("Resources/model")]
    ),
    .target(name: "ParleyYAML", dependencies: [.product(name: "Yams", package: "Yams")]),
    .target(
      name: "ParleyStrategy",
      dependencies: ["ParleyYAML", .product(name: "Yams", package: "Yams")]
    ),
    .target(
      name: "ParleyKnowledge",
      dependencies: ["ParleyModel", "ParleyText"],
      resources: [.copy("Resources/kb"), .copy("Resources/lexicon")]
    ),
    .target(
      name: "ParleyExtraction", dependencies: ["ParleyModel", "ParleyText", "ParleyKnowledge", "ParleySyntax"]),
    .target(
      name: "ParleyRecord",
      dependencies: [
        "ParleyModel", "ParleyText", "ParleyKnowledge", "ParleyYAML",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "ParleyStore",
      dependencies: [
        "ParleyModel", "ParleyText", "ParleyKnowledge", "ParleyExtraction", "ParleyRecord", "ParleyStrategy",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    // `swift build` builds every target, so this one is empty without the PostgreSQL trait (its
    // files are inside `#if PostgreSQL`) and only then depends on postgres-nio: the default build
    // never compiles NIOSSL or swift-crypto.
    .target(
      name: "ParleyPostgres",
      dependencies: [
        "ParleyStore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
        .product(name: "Logging", package: "swift-log", condition: .when(traits: ["PostgreSQL"])),
      ]
    ),
    .target(
      name: "ParleyServer",
      dependencies: [
        "ParleyModel", "ParleyStore", "ParleyStrategy",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Logging", package: "swift-log"),
      ],
      resources: [
        .copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/openapi"), .copy("Resources/lexicon"),
      ]
    ),
    .target(
      name: "ParleyBenchmarks",
      dependencies: ["ParleyModel", "ParleyText", "ParleyExtraction", "ParleyStore"],
      resources: [.copy("Resources/generator")]
    ),
    .target(
      name: "ParleyCLI",
      dependencies: [
        "ParleyModel", "ParleyText", "ParleyKnowledge", "ParleyExtraction", "ParleyRecord", "ParleyStore",
        "ParleyServer", "ParleySyntax", "ParleyStrategy", "ParleyBenchmarks",
        .target(name: "ParleyPostgres", condition: .when(traits: ["PostgreSQL"])),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "parley",
      dependencies: ["ParleyCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .testTarget(
      name: "ParleyTests",
      dependencies: [
        "ParleyModel", "ParleyText", "ParleyKnowledge", "ParleyExtraction", "ParleyCLI", "ParleyRecord",
        "ParleyStore", "ParleyServer", "ParleySyntax", "ParleyStrategy", "ParleyBenchmarks",
        .target(name: "ParleyPostgres", condition: .when(traits: ["PostgreSQL"])),
        .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
      ]
    ),
  ]
)
