import Foundation
import MeshConfig
import MeshRegistry
import Synchronization

/// Where a document's live data comes from: a reader, or why there is none.
enum LiveSource: Sendable {
    /// A reader over the resolved store; `description` names it for hover text.
    case reader(RegistryReader, description: String)
    /// The user switched the registry off (`diddyMesh.registry: "off"`).
    case off
    /// Nothing asks for a registry (no `mesh.registry`, no registry setting) and none was
    /// found: hover still says how to add one, the other features stay quiet.
    case notAsked(RegistryError)
    /// Why the registry that was asked for is missing (a wrangler config error, a binding
    /// that is not there, ...).
    case unavailable(RegistryError)
}

extension LiveSource {
    /// Whether resolving failed (and is worth trying again later).
    var failed: Bool {
        switch self {
        case .notAsked, .unavailable: true
        case .off, .reader: false
        }
    }
}

/// The server's registry access: resolves each document's registry the way the CLI does
/// (``RegistryLocator`` over `mesh.registry`, the settings and the nearest wrangler
/// config) and keeps one ``RegistryReader`` per resolved registry, so documents that share
/// a registry share its cache and its in-flight fetches.
///
/// Resolutions are reused until the settings or a wrangler config change; failed ones
/// are tried again after `live.cacheSeconds`, so a wrangler config created in a client
/// that cannot watch files is still picked up.
final class LiveRegistry: Sendable {
    private struct Resolution {
        let source: LiveSource
        let resolvedAt: Double
    }

    private struct State {
        var settings = LiveSettings()
        var resolutions: [String: Resolution] = [:]
    }

    private let state = Mutex(State())
    private let environment: [String: String]
    /// The clock, epoch seconds (injectable for tests).
    let now: @Sendable () -> Double

    /// Creates the registry access; the environment supplies the API token and account.
    init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.environment = environment
        self.now = now
    }

    /// The current settings.
    var settings: LiveSettings { state.withLock { $0.settings } }

    /// Replaces the settings; every resolution starts over, since any setting may pick
    /// another store.
    func update(_ settings: LiveSettings) {
        state.withLock { state in
            state.settings = settings
            state.resolutions = [:]
        }
    }

    /// Forgets every resolution and cached answer (a wrangler config changed).
    func invalidate() {
        let sources = state.withLock { state in
            defer { state.resolutions = [:] }
            return Array(state.resolutions.values)
        }
        for case .reader(let reader, _) in sources.map(\.source) { reader.invalidate() }
    }

    /// The live source for `snapshot`, from its file's place and its `mesh.registry`.
    func source(for snapshot: DocumentSnapshot) -> LiveSource {
        source(path: DocumentURI.filePath(snapshot.uri), registry: snapshot.analysis.config.mesh.registry)
    }

    /// The live source for a document at `path` (nil for an unsaved buffer) whose config
    /// says `registry`.
    func source(path: String?, registry: RegistrySettings?) -> LiveSource {
        let settings = self.settings
        let key = [
            path ?? "", registry?.binding?.value ?? "", registry?.namespaceId?.value ?? "",
            registry?.accountId?.value ?? "",
        ]
        .joined(separator: "\u{1}")
        let current = now()
        if let cached = state.withLock({ $0.resolutions[key] }) {
            if !cached.source.failed || current - cached.resolvedAt < settings.cacheSeconds { return cached.source }
        }
        let source = resolve(path: path, registry: registry, settings: settings)
        state.withLock { state in
            // Settings that changed meanwhile made this resolution obsolete.
            if state.settings == settings { state.resolutions[key] = Resolution(source: source, resolvedAt: current) }
        }
        return source
    }

    private func resolve(path: String?, registry: RegistrySettings?, settings: LiveSettings) -> LiveSource {
        if settings.registry == .off { return .off }
        var options = settings.registryOptions
        options.environment = environment
        switch RegistryLocator.resolve(configPath: path, settings: registry, options: options) {
        case .failure(let error):
            let asked =
                registry != nil || settings.registry != nil || settings.namespaceId != nil
                || settings.persistTo != nil || settings.accountId != nil
            if case .notConfigured = error, !asked { return .notAsked(error) }
            return .unavailable(error)
        case .success(let resolved):
            let reader = RegistryReader(
                store: resolved.store, deadline: .milliseconds(settings.deadlineMs),
                cacheSeconds: settings.cacheSeconds,
                staleAfterSeconds: settings.staleAfterSeconds, now: now)
            return .reader(reader, description: resolved.description)
        }
    }
}
