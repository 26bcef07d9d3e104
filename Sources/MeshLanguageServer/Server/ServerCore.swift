import MeshSyntax
import WireJSON

/// The server's state and the ordered half of dispatch.
///
/// Every message passes through this actor in the order it arrived. Notifications
/// (edits above all) are applied here, in order. Requests take a snapshot of the state
/// here and are answered by a task of their own, so slow reads never hold up edits and
/// reads run concurrently with each other.
actor ServerCore {
    /// Where the session is in LSP's lifecycle.
    enum Lifecycle: Sendable, Equatable {
        case uninitialized
        case running
        case shutDown
    }

    let configuration: ServerConfiguration
    let sink: any MessageSink
    let log: ServerLog
    let inFlight = InFlightRequests()

    private(set) var lifecycle = Lifecycle.uninitialized
    /// The position encoding negotiated in `initialize`.
    var encoding = PositionEncoding.utf16
    /// What the client can render.
    var client = ClientCapabilities()
    /// The registry behind hover, code lens and the live diagnostics, with the settings
    /// from `initializationOptions` and `didChangeConfiguration`.
    let live: LiveRegistry
    /// The live diagnostics of the open documents.
    let liveDiagnostics = LiveDiagnosticsStore()
    /// The documents.
    var documents = DocumentStore()
    /// When each document is analysed for push diagnostics.
    var throttle: AnalysisThrottle
    /// The analysis (static diagnostics) task of each document, waiting or running.
    var analysisTasks: [String: Task<Void, Never>] = [:]
    /// The live-diagnostics task of each document.
    var liveTasks: [String: Task<Void, Never>] = [:]
    /// How many requests the server has sent the client, for their ids.
    var serverRequests = 0
    /// The paths of the workspace folders, from `initialize` and
    /// `workspace/didChangeWorkspaceFolders`.
    var workspaceFolders: [String] = []
    /// The workspace folders' config symbols, cached across `workspace/symbol` requests.
    let workspaceSymbols = WorkspaceSymbolIndex()

    init(configuration: ServerConfiguration, sink: any MessageSink) {
        self.configuration = configuration
        self.sink = sink
        self.log = ServerLog(sink: sink, toStandardError: configuration.logToStandardError)
        self.live = LiveRegistry(environment: configuration.environment)
        self.throttle = AnalysisThrottle(interval: configuration.analysisInterval)
    }

    /// Applies new settings (`initializationOptions` or `didChangeConfiguration`).
    func applySettings(_ settings: JSONValue) {
        let log = log
        live.update(LiveSettings(settings) { log(.warning, $0) })
        refreshLiveDiagnostics()
    }

    // MARK: Messages

    /// Handles one message body; returns false once `exit` has arrived.
    func receive(_ body: [UInt8]) async -> Bool {
        switch IncomingMessage.parse(body) {
        case .failure(let invalid):
            log(.warning, "rejected a message: \(invalid.error.message)")
            sink.send(OutgoingMessage.error(id: invalid.id, invalid.error))
        case .success(.response):
            // The server sends no requests yet; a stray response is harmless.
            break
        case .success(.notification(let method, let params)):
            if method == "exit" { return false }
            handleNotification(method, params)
        case .success(.request(let id, let method, let params)):
            await handleRequest(id, method, params)
        }
        return true
    }

    /// Reports bytes the framer had to skip. The client cannot tell which request they
    /// were, so the answer is a parse error with a null id, as JSON-RPC prescribes.
    func framingError(_ error: FramingError) {
        log(.warning, "skipped unframeable input: \(error)")
        sink.send(OutgoingMessage.error(id: nil, .parseError("could not frame a message: \(error)")))
    }

    /// Ends the session and returns the exit status: 0 after `shutdown`, 1 without.
    ///
    /// After `exit` in-flight work is abandoned; at end of input it is finished first, so
    /// that a client that closes its end still gets every answer.
    func finish(graceful: Bool) async -> Int32 {
        if graceful {
            for task in inFlight.tasks { await task.value }
            // Finishing an analysis may start the next version's: drain until none is left.
            while let (uri, task) = analysisTasks.first {
                await task.value
                if analysisTasks[uri] == task { analysisTasks[uri] = nil }
            }
            for task in liveTasks.values { await task.value }
        } else {
            for task in inFlight.tasks { task.cancel() }
            for task in analysisTasks.values { task.cancel() }
            for task in liveTasks.values { task.cancel() }
        }
        analysisTasks = [:]
        liveTasks = [:]
        return lifecycle == .shutDown ? 0 : 1
    }

    // MARK: Requests

    private func handleRequest(_ id: RequestID, _ method: String, _ params: JSONValue?) async {
        switch (lifecycle, method) {
        case (.uninitialized, "initialize"):
            initialize(id, params)
        case (.uninitialized, _):
            sink.send(OutgoingMessage.error(id: id, .serverNotInitialized))
        case (.shutDown, _):
            sink.send(OutgoingMessage.error(id: id, .shutDown))
        case (.running, "initialize"):
            sink.send(OutgoingMessage.error(id: id, .invalidRequest("the server is already initialized")))
        case (.running, "shutdown"):
            // Answers in flight are finished first, so the client gets all of them.
            for task in inFlight.tasks { await task.value }
            lifecycle = .shutDown
            sink.send(OutgoingMessage.response(id: id, result: .null))
        case (.running, _):
            dispatch(id, method, params)
        }
    }

    private func initialize(_ id: RequestID, _ params: JSONValue?) {
        do {
            let negotiated = try InitializeHandler.negotiate(params)
            encoding = negotiated.encoding
            client = negotiated.client
            workspaceFolders = negotiated.workspaceFolders
            applySettings(negotiated.settings)
            lifecycle = .running
            sink.send(
                OutgoingMessage.response(
                    id: id, result: InitializeHandler.result(encoding: encoding, version: configuration.version)))
        } catch {
            sink.send(OutgoingMessage.error(id: id, error))
        }
    }

    /// Answers a read request on its own task with the state as it is now.
    private func dispatch(_ id: RequestID, _ method: String, _ params: JSONValue?) {
        guard let handler = configuration.requestHandlers[method] else {
            sink.send(OutgoingMessage.error(id: id, .methodNotFound(method)))
            return
        }
        let uri = params?["textDocument"]?["uri"]?.stringValue
        guard inFlight.begin(id, uri: uri) else {
            sink.send(OutgoingMessage.error(id: id, .invalidRequest("request id \(id) is already in flight")))
            return
        }
        let context = RequestContext(
            documents: documents, encoding: encoding, client: client, live: live, liveDiagnostics: liveDiagnostics,
            workspaceFolders: workspaceFolders, workspaceSymbols: workspaceSymbols)
        let sink = sink
        let inFlight = inFlight
        let log = log
        let task = Task.detached {
            let answer: JSONValue
            do {
                let result = try await handler.handle(params, context: context)
                answer = OutgoingMessage.response(id: id, result: result)
            } catch let error as ResponseError {
                answer = OutgoingMessage.error(id: id, error)
            } catch {
                log(.error, "\(method) failed: \(error)")
                answer = OutgoingMessage.error(id: id, .internalError("\(method) failed: \(error)"))
            }
            // A cancellation or an edit may have answered already.
            if inFlight.end(id) != nil { sink.send(answer) }
        }
        inFlight.attach(task, to: id)
    }

    // MARK: Notifications

    private func handleNotification(_ method: String, _ params: JSONValue?) {
        // Before `initialize` notifications are dropped; after `shutdown` only `exit` counts.
        guard lifecycle == .running else { return }
        switch method {
        case "initialized":
            if client.watchesFilesOnRequest {
                sink.send(
                    OutgoingMessage.request(
                        id: .string(WranglerWatch.registrationID), WranglerWatch.registerMethod,
                        WranglerWatch.registration))
            }
        case "$/setTrace":
            return
        case "$/cancelRequest":
            cancel(params)
        default:
            guard let handler = MethodTable.notifications[method] else {
                // Unknown notifications are ignored, as LSP asks ($/ ones explicitly).
                return
            }
            do {
                try handler.handle(params, server: self)
            } catch {
                log(.warning, "ignored \(method): \(error.message)")
            }
        }
    }

    private func cancel(_ params: JSONValue?) {
        guard let id = params?["id"].flatMap(RequestID.init), let entry = inFlight.end(id) else { return }
        entry.task?.cancel()
        sink.send(OutgoingMessage.error(id: id, .cancelled))
    }
}
