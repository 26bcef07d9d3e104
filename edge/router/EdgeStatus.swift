/// What an export of the edge router answers, as the `i32` the host reads (edge/README.md).
/// Every status but ``ok`` comes with `{"error": "..."}` in the output buffer.
enum EdgeStatus: Int32 {
    /// Done: the output holds the answer (a decision, or the report).
    case ok = 0
    /// The request is not one the router takes: not in the field form (`RequestFields`), or a
    /// URL, method or header the router refuses.
    case badRequest = 1
    /// No config was loaded, so there is nothing to route with or report on.
    case noConfig = 2
    /// The input is larger than the export accepts (``HostBytes/maximumPlanSize``,
    /// `RequestJSON.maximumSize`); it was not read.
    case tooLarge = 3
    /// A null pointer with a non-zero length, a negative length, or a ref that no answer of
    /// the loaded config named (`mesh_ref`).
    case invalidArguments = 4
    /// The input of `mesh_load` is not a route plan this module reads: a config's text, another
    /// format version, damaged bytes (``RoutePlan/decode(_:)`` says which).
    case badPlan = 5
}
