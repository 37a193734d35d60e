// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The commands a user can run, each a thin `promptgate-<name>` executable; `promptgate` runs them
/// the way git runs its subcommands.
let commands = [
  "version", "diff", "select", "log", "check-config", "install-hooks", "hook", "gate", "store",
  "release", "rollback", "export", "schema", "init", "report",
]

/// Release builds link libgit2 and its dependencies statically: `PROMPTGATE_STATIC_LIBS=DIR`,
/// a directory that scripts/static-libgit2.sh filled with archives, is searched before the
/// system's libraries, and pkg-config is not asked, since the `-L` of the system's directory it
/// gives would find the shared libraries first (docs/install.md).
let staticDirectory = Context.environment["PROMPTGATE_STATIC_LIBS"]
let staticLibraries: [LinkerSetting] =
  staticDirectory.map { directory in
    // What libgit2 needs and has no archive, as the script found it (GSSAPI on Debian).
    let shared =
      (try? String(contentsOfFile: directory + "/shared-libraries", encoding: .utf8))?
      .split(separator: "\n").map { LinkerSetting.linkedLibrary(String($0)) } ?? []
    return [.unsafeFlags(["-L", directory]), .linkedLibrary("dl"), .linkedLibrary("pthread")]
      + shared
  } ?? []

/// The static release executables are linked position-dependent and export no symbols: a
/// static PIE had 144,683 relocations to apply and about 36,000 symbols in its dynamic table
/// before `main`, a visible part of a hook's or a cached walk's few milliseconds. libgit2's
/// start-up does not start its TLS stream, which loads every CA certificate of the system and
/// which PromptGate never uses (`--wrap`, Sources/GitKit/TLSStart.swift). Other builds (debug,
/// tests, a release linking the shared libgit2) link as SwiftPM does.
let executableLinking: [LinkerSetting] =
  staticDirectory == nil
  ? []
  : [
    .unsafeFlags(
      [
        "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
        "-Xlinker", "--wrap=git_mbedtls_stream_global_init",
      ],
      .when(configuration: .release))
  ]

let package = Package(
  name: "PromptGate",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "promptgate", targets: ["promptgate"])
  ]
    + commands.map { .executable(name: "promptgate-\($0)", targets: ["promptgate-\($0)"]) },
  dependencies: [
    // Command-line parsing, help and completion for every executable.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // YAML for the mapping file and the YAML data it points into; its resolver takes the
    // YAML 1.2 core schema rules and it reports duplicate keys with their line.
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    // SHA-256 for file-set digests and behavior version ids (Foundation has none on Linux).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    // Runs exec harnesses and `command` assertions: async, with pipes drained concurrently and
    // the child killed when its task is cancelled (how per-request timeouts are enforced).
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
    // File paths in Subprocess's API (a working directory, an executable's path).
    .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    // The HTTP client for the openai and anthropic providers: pooled connections over SwiftNIO,
    // streaming bodies, per-request deadlines and TLS, with no libcurl. It takes minutes to
    // build here, but it is the one well-kept async client on Linux, and the test server below
    // shares its NIO.
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // NIO's HTTP/1 server, for the tests' loopback OpenAI and Anthropic server and the
    // benchmark's (already a dependency of async-http-client).
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
  ],
  targets: [
    // libgit2 as Debian ships it (libgit2-dev 1.5.1): a module map and a one-line shim.
    .systemLibrary(
      name: "Clibgit2",
      pkgConfig: staticDirectory == nil ? "libgit2" : nil,
      providers: [.apt(["libgit2-dev"])]
    ),
    // zlib (zlib1g-dev, which libgit2-dev depends on), for reading git objects directly on the
    // hook's hot path without starting libgit2.
    .systemLibrary(
      name: "Czlib",
      pkgConfig: staticDirectory == nil ? "zlib" : nil,
      providers: [.apt(["zlib1g-dev"])]
    ),
    // The only importer of Clibgit2: owns every libgit2 handle and speaks Swift types.
    .target(
      name: "GitKit",
      dependencies: ["Clibgit2", "Czlib", .product(name: "Crypto", package: "swift-crypto")],
      linkerSettings: staticLibraries
    ),
    // The domain: mapping file, behavior versions, diffs, selection, and the gate (cases,
    // assertions, the result store, the exec provider, the verdict).
    .target(
      name: "PromptGateCore",
      dependencies: [
        "GitKit",
        "Yams",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "SystemPackage", package: "swift-system"),
      ]
    ),
    // The one HTTP transport: one client configuration, one attempt with a deadline and a body
    // limit, one classification of failures, credentials that never print. Every network client
    // (providers, GitHub, and those to come) goes through it.
    .target(
      name: "PromptGateTransport",
      dependencies: [
        "PromptGateCore",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    // The HTTP providers (OpenAI-compatible chat completions, Anthropic messages), kept apart so
    // that the domain builds and tests without a network stack.
    .target(
      name: "PromptGateProviders",
      dependencies: [
        "PromptGateCore",
        "PromptGateTransport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    // CI: finding base and head from GitHub's and GitLab's environment, and GitHub's REST API
    // (commit statuses, check runs, pull-request comments) over the providers' HTTP client.
    .target(
      name: "PromptGateCI",
      dependencies: [
        "PromptGateCore",
        "PromptGateTransport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    // Production telemetry keyed by behavior version: one event record, streaming readers
    // (native JSONL, OTLP JSON), mergeable per-version aggregates and their figures, and the
    // ClickHouse reader, which asks the server for those aggregates over the one transport.
    .target(
      name: "PromptGateTelemetry",
      dependencies: [
        "PromptGateCore",
        "PromptGateTransport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]),
    // The workflows (gate, hooks, release, and later rollback, telemetry, replay): plain inputs
    // in, typed outcomes out, between the domain and the command line. They never print or
    // exit, so every workflow is usable and testable without a process.
    .target(
      name: "PromptGateWorkflows",
      dependencies: [
        "PromptGateCore",
        "PromptGateTransport",
        "PromptGateProviders",
        "PromptGateCI",
        "PromptGateTelemetry",
        "GitKit",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]
    ),
    // Command types, shared options, renderers and the one exit-code map; the executables
    // forward here.
    .target(
      name: "PromptGateCLI",
      dependencies: [
        "PromptGateCore",
        "PromptGateWorkflows",
        "PromptGateCI",
        "PromptGateTelemetry",
        "GitKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "promptgate", dependencies: ["PromptGateCLI"], linkerSettings: executableLinking),
    // benchmarks/verdict.sh: simulated gates through the verdict code (not a product).
    .executableTarget(name: "verdict-simulation", dependencies: ["PromptGateCore"]),
    // Shared by the test targets: temporary git repositories and running the built executables.
    .target(
      name: "TestSupport",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ],
      path: "Tests/TestSupport"
    ),
    .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
    .testTarget(name: "PromptGateCoreTests", dependencies: ["PromptGateCore", "TestSupport"]),
    .testTarget(name: "PromptGateCITests", dependencies: ["PromptGateCI", "TestSupport"]),
    .testTarget(
      name: "PromptGateTelemetryTests", dependencies: ["PromptGateTelemetry", "TestSupport"]),
    .testTarget(
      name: "PromptGateTransportTests",
      dependencies: [
        "PromptGateTransport", "TestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
      ]),
    .testTarget(
      name: "PromptGateWorkflowsTests", dependencies: ["PromptGateWorkflows", "TestSupport"]),
    .testTarget(
      name: "PromptGateProvidersTests",
      dependencies: [
        "PromptGateProviders", "TestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]),
    .testTarget(
      name: "PromptGateCLITests",
      dependencies: ["PromptGateCLI", "TestSupport"]
        + commands.map { .target(name: "promptgate-\($0)") } + [.target(name: "promptgate")]
    ),
  ]
    + commands.map {
      .executableTarget(
        name: "promptgate-\($0)", dependencies: ["PromptGateCLI"],
        linkerSettings: executableLinking)
    }
)
