/// The registry's live data as the store holds it (``RegistryReader/healthListing(registeredServices:)``):
/// what a Worker gets from Workers KV, before anything reads it.
public struct HealthListing: Sendable, Equatable {
    /// Every `health:` key, with its metadata (the summary, as JSON text) and expiration.
    public var keys: [KVKey]
    /// The value of `service:<name>` by service name, for the services that have one.
    public var registrations: [String: [UInt8]]

    /// A listing of `keys` and `registrations`.
    public init(keys: [KVKey], registrations: [String: [UInt8]]) {
        self.keys = keys
        self.registrations = registrations
    }
}
