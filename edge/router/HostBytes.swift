/// Bytes the host put into the module's memory (through the exported `malloc`), checked
/// before they are read: an export that trapped on a bad pointer or length would take the
/// whole module down with it.
enum HostBytes {
    /// The largest route plan `mesh_load` reads. A plan's model and the route table compiled
    /// from it take some ten times its size in memory, so this keeps a load well inside the
    /// 4 GiB a wasm32 module can address; Workers KV holds values of up to 25 MiB, and real
    /// plans are smaller than their configs.
    static let maximumPlanSize = 16 << 20

    /// A copy of the `count` bytes at `start`, or why they cannot be read: a null pointer
    /// with bytes to read or a negative count is ``EdgeStatus/invalidArguments``, more
    /// than `limit` bytes ``EdgeStatus/tooLarge``, said of `what` (`config`, `request`) in
    /// the words the CLI uses. A null pointer with no bytes is empty.
    static func read(_ start: UnsafePointer<UInt8>?, _ count: Int, limit: Int, what: String) -> Result<
        [UInt8], Refusal
    > {
        guard count >= 0 else { return .failure(Refusal(.invalidArguments, "the length \(count) is negative")) }
        // Checked before the pointer is read, so a runaway length costs nothing.
        guard count <= limit else {
            return .failure(Refusal(.tooLarge, "the \(what) is \(count) bytes long; at most \(limit) are accepted"))
        }
        guard count > 0 else { return .success([]) }
        guard let start else {
            return .failure(Refusal(.invalidArguments, "the pointer is null but the length is \(count)"))
        }
        return .success(Array(UnsafeBufferPointer(start: start, count: count)))
    }

    /// Why an export did not do its work: the status and a sentence for the host.
    struct Refusal: Error {
        let status: EdgeStatus
        let message: String

        init(_ status: EdgeStatus, _ message: String) {
            self.status = status
            self.message = message
        }
    }
}
