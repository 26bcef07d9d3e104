import MeshConfig
import MeshSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(WASILibc)
    import WASILibc
#elseif canImport(ucrt)
    import ucrt
#elseif hasFeature(Embedded)
    // Embedded wasm32 has no C library module: the three functions the haversine needs are
    // declared here and linked from edge/runtime/runtime.c (or any libm).
    @_extern(c, "sin") func sin(_ x: Double) -> Double
    @_extern(c, "cos") func cos(_ x: Double) -> Double
    @_extern(c, "asin") func asin(_ x: Double) -> Double
#endif

/// Where a request and an endpoint are, for the `geographic` strategy.
///
/// Endpoints state a Cloudflare Load Balancing region, a continent and/or a location;
/// requests carry `request.cf` (colo, country, continent, latitude, longitude). To compare
/// them, the request's colo (else its country) is mapped to a region with the tables below.
/// They are an approximation of Cloudflare's published region mapping (which assigns US
/// states and Canadian provinces individually), limited to codes whose region is clear;
/// anything not listed has no region and the strategy moves on to the continent.
enum GeoPlacement {
    /// Major Cloudflare data centers (IATA) by region.
    static let coloRegions: NameMap<String> = table([
        "WNAM": [
            "SJC", "SFO", "LAX", "SAN", "SEA", "PDX", "LAS", "PHX", "DEN", "SLC", "SMF", "YVR", "YYC", "HNL", "ANC",
        ],
        "ENAM": [
            "IAD", "EWR", "JFK", "ORD", "ATL", "DFW", "IAH", "MIA", "BOS", "MSP", "DTW", "CLT", "PHL", "STL", "MCI",
            "BNA", "TPA", "PIT", "IND", "CMH", "JAX", "MEM", "RIC", "OMA", "BUF", "YYZ", "YUL", "YOW", "YWG", "YHZ",
        ],
        "WEU": [
            "LHR", "MAN", "EDI", "DUB", "CDG", "MRS", "AMS", "BRU", "LUX", "FRA", "DUS", "HAM", "MUC", "BER", "TXL",
            "STR", "ZRH", "GVA", "MXP", "FCO", "PMO", "MAD", "BCN", "LIS", "KEF",
        ],
        "EEU": [
            "VIE", "PRG", "WAW", "BUD", "OTP", "SOF", "ATH", "SKG", "CPH", "OSL", "ARN", "GOT", "HEL", "RIX", "TLL",
            "VNO", "ZAG", "BEG", "LJU", "KBP", "KIV", "DME", "LED", "LCA",
        ],
        "ME": ["DXB", "DOH", "KWI", "BAH", "MCT", "RUH", "JED", "AMM", "BEY", "TLV", "BGW"],
        "NAF": ["CAI", "CMN", "ALG", "TUN"],
        "SAF": ["JNB", "CPT", "DUR", "WDH", "GBE", "MPM", "HRE"],
        "SAS": ["BOM", "DEL", "MAA", "BLR", "HYD", "CCU", "KHI", "LHE", "ISB", "CMB", "DAC", "KTM"],
        "SEAS": ["SIN", "KUL", "BKK", "CGK", "MNL", "SGN", "HAN", "PNH"],
        "NEAS": ["NRT", "HND", "KIX", "FUK", "ICN", "HKG", "TPE", "ULN", "MFM"],
        "OC": ["SYD", "MEL", "BNE", "PER", "ADL", "CBR", "AKL", "CHC", "NOU", "NAN", "GUM"],
        "NSAM": ["BOG", "MDE", "UIO", "LIM", "PTY", "SJO", "CCS", "CUR"],
        "SSAM": ["GRU", "GIG", "POA", "CWB", "FOR", "EZE", "SCL", "MVD", "ASU"],
    ])

    /// Countries (ISO 3166-1 alpha-2) whose region is clear. The US and Canada span two
    /// regions and are handled by ``region(country:longitude:)``.
    static let countryRegions: NameMap<String> = table([
        "WEU": [
            "GB", "IE", "FR", "ES", "PT", "BE", "NL", "LU", "DE", "CH", "IT", "IS", "AD", "MC", "LI", "SM", "VA", "GI",
            "MT",
        ],
        "EEU": [
            "AT", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "CY", "DK", "NO", "SE", "FI", "EE", "LV", "LT", "HR", "SI",
            "RS", "BA", "ME", "MK", "AL", "XK", "MD", "UA", "BY", "RU",
        ],
        "ME": ["AE", "SA", "QA", "KW", "BH", "OM", "YE", "JO", "LB", "IL", "PS", "SY", "IQ", "IR"],
        "NAF": ["EG", "LY", "TN", "DZ", "MA"],
        "SAF": ["ZA", "NA", "BW", "ZW", "MZ", "ZM", "LS", "SZ"],
        "SAS": ["IN", "PK", "LK", "BD", "NP", "BT", "MV"],
        "SEAS": ["SG", "MY", "TH", "ID", "PH", "VN", "KH", "LA", "MM", "BN", "TL"],
        "NEAS": ["JP", "KR", "HK", "TW", "CN", "MO", "MN"],
        "OC": ["AU", "NZ", "FJ", "PG", "NC", "PF", "WS", "TO", "VU", "SB"],
        "NSAM": ["CO", "VE", "EC", "PE", "PA", "CR", "GY", "SR"],
        "SSAM": ["BR", "AR", "CL", "UY", "PY", "BO"],
    ])

    /// The continent (as `request.cf.continent`) of each region. NSAM includes Central
    /// America and the Caribbean in Cloudflare's mapping; it is counted as South America.
    static let regionContinents: NameMap<String> = [
        "WNAM": "NA", "ENAM": "NA", "WEU": "EU", "EEU": "EU", "NSAM": "SA", "SSAM": "SA", "OC": "OC",
        "ME": "AS", "NAF": "AF", "SAF": "AF", "SAS": "AS", "SEAS": "AS", "NEAS": "AS",
    ]

    /// Continents that are one region on their own.
    static let continentRegions: NameMap<String> = ["OC": "OC"]

    /// Longitude (degrees) taken as the line between WNAM and ENAM: roughly the eastern
    /// border of Colorado and New Mexico, where Cloudflare's state mapping switches.
    static let northAmericaDivide = -102.0

    private static func table(_ groups: NameMap<[String]>) -> NameMap<String> {
        var result: NameMap<String> = [:]
        for (region, codes) in groups {
            for code in codes { result[code] = region }
        }
        return result
    }

    /// The request's region: from its colo, else its country (and longitude for the US and
    /// Canada), else its continent where that is one region; nil when unclear.
    static func region(of geo: GeoContext) -> String? {
        if let colo = geo.colo, let region = coloRegions[colo] { return region }
        if let country = geo.country, let region = region(country: country, longitude: geo.longitude) { return region }
        if let continent = geo.continent { return continentRegions[continent] }
        return nil
    }

    static func region(country: String, longitude: Double?) -> String? {
        if country.hasSameBytes(as: "US") || country.hasSameBytes(as: "CA") {
            guard let longitude, longitude.isFinite else { return nil }
            return longitude < northAmericaDivide ? "WNAM" : "ENAM"
        }
        return countryRegions[country]
    }

    /// The request's continent: `request.cf.continent`, else that of its region.
    static func continent(of geo: GeoContext) -> String? {
        geo.continent ?? region(of: geo).flatMap { regionContinents[$0] }
    }

    /// An endpoint's region, upper-cased as the config writes it.
    static func region(of endpoint: Endpoint) -> String? {
        endpoint.region?.value.asciiUppercased
    }

    /// An endpoint's continent: its own, else that of its region.
    static func continent(of endpoint: Endpoint) -> String? {
        endpoint.continent?.value.asciiUppercased ?? region(of: endpoint).flatMap { regionContinents[$0] }
    }

    /// Mean Earth radius (IUGG), in kilometres.
    static let earthRadiusKm = 6371.0088

    /// Great-circle distance in kilometres (haversine, which stays accurate for short
    /// distances where the spherical law of cosines loses precision).
    static func distanceKm(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Double {
        let radians = Double.pi / 180
        let phi1 = latitude1 * radians
        let phi2 = latitude2 * radians
        let deltaPhi = (latitude2 - latitude1) * radians
        let deltaLambda = (longitude2 - longitude1) * radians
        let a =
            sin(deltaPhi / 2) * sin(deltaPhi / 2) + cos(phi1) * cos(phi2) * sin(deltaLambda / 2) * sin(deltaLambda / 2)
        // Rounding can push `a` a hair outside [0, 1]; asin would return NaN.
        let clamped = min(1, max(0, a))
        return 2 * earthRadiusKm * asin(clamped.squareRoot())
    }
}
