// Deterministic requests for the parity test: methods, schemes, hosts, paths (with dot
// segments, percent-encoding, backslashes, doubled slashes, non-ASCII and tabs that the URL
// parser drops), queries, headers (in any case, some named twice) and request.cf fields
// (some missing, some lower-case, coordinates as numbers or as the strings Workers give),
// with paths that mostly start where a rule of the config starts, so that many requests
// reach a rule and many just miss one. Every request is valid and has a field form (no NUL,
// no lone surrogate, no empty cf string): the parity test routes them all through both
// routers, the module reading the field form and the CLI the JSON.

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
  "get", "Post", "PROPFIND"];
const SCHEMES = ["https", "https", "https", "http", "HTTPS"];
const HOSTS = ["api.shop.example", "shop.example", "API.Shop.Example", "shop.example:443", "api.shop.example:8443",
  "user:secret@api.shop.example", "api.parity.example", "eu.parity.example", "a.b.parity.example",
  "parity.example", "API.PARITY.EXAMPLE:443", "localhost", "127.0.0.1:8787", "[::1]", "xn--bcher-kva.example"];
/** Where the shop's rules start (examples/shop/diddy-mesh.jsonc), and some near misses. */
export const SHOP_PREFIXES = ["/", "/api", "/api/users", "/api/users", "/api/orders", "/api/payments",
  "/api/payments", "/api/catalog", "/api/catalog", "/api/catalog", "/api/search", "/api/search",
  "/api/inventory", "/preview", "/preview", "/API/users", "/api/user"];
/** Where the rules of parity-mesh.jsonc start, and some near misses. */
export const PARITY_PREFIXES = ["/", "/v1", "/v1", "/v2/users", "/v2/users", "/v2/users/7/files", "/files",
  "/files/a/raw", "/beta", "/beta", "/near", "/near", "/shop", "/shop", "/coin", "/coin", "/discovered",
  "/backup", "/\u00fc", "/%C3%BC", "/api/user", "/api/user-x", "/API/users"];
const SEGMENTS = ["api", "api", "users", "orders", "payments", "catalog", "search", "inventory", "preview", "v1",
  "v2", "users", "files", "raw", "beta", "near", "shop", "coin", "discovered", "backup", "user-x", "user",
  "42", "SKU-1", "shoes", "new-home", "ü", "%C3%BC", "日本", ".", "..", "%2e", "%2E%2e", "%41", "a b", "x;y",
  "API", "", "~tilde", "a%2Fb"];
const QUERIES = ["", "", "", "?q=boots", "?expand=items", "?a=1&b=2", "#fragment", "?x=1#y", "?"];
const COOKIES = ["session=abc123", "session=def456; theme=dark", "theme=light", "session=", "session=\u00e9t\u00e9"];
const COLOS = ["FRA", "LHR", "IAD", "SJC", "SIN", "NRT", "GRU", "SYD", "fra", "iad"];
const COUNTRIES = ["DE", "FR", "NL", "US", "CA", "GB", "SG", "JP", "BR", "AU", "de", "us", "T1", "XX"];
const CONTINENTS = ["EU", "NA", "AS", "SA", "OC", "AF", "AN", "eu", "na"];

/** `count` requests drawn from `seed`, with paths that mostly start with one of `prefixes`. */
export function generateRequests(count, seed, prefixes) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (probability) => next() < probability;
  const requests = [];
  for (let index = 0; index < count; index++) {
    requests.push(request(prefixes, pick, chance, next));
  }
  return requests;
}

function request(prefixes, pick, chance, next) {
  const request = {};
  if (chance(0.8)) request.method = pick(METHODS);
  // Most paths start where some rule starts, so that they reach it or just miss it.
  let path = chance(0.85) ? pick(prefixes) : "";
  const depth = Math.floor(next() * 3) + (chance(0.2) ? 0 : 1);
  for (let level = 0; level < depth; level++) {
    path += (chance(0.06) ? "\\" : chance(0.04) ? "//" : "/") + pick(SEGMENTS);
  }
  // Dot segments the normalization removes: "/./" and "/x/../" leave the path as it was.
  if (chance(0.1) && path.length > 1) {
    const cut = path.indexOf("/", 1) > 0 ? path.indexOf("/", 1) : path.length;
    path = path.slice(0, cut) + pick(["/.", "/x/..", "/%2e", "/X/%2E%2E"]) + path.slice(cut);
  }
  if (chance(0.15)) path += "/";
  if (chance(0.03)) path = path.slice(0, Math.floor(path.length / 2)) + "\t" + path.slice(Math.floor(path.length / 2));
  request.url = `${pick(SCHEMES)}://${pick(HOSTS)}${path}${pick(QUERIES)}`;
  const headers = {};
  if (chance(0.3)) headers[chance(0.5) ? "cookie" : "Cookie"] = pick(COOKIES);
  if (chance(0.3)) headers[chance(0.5) ? "x-preview" : "X-Preview"] = pick(["1", "0", "", " 1 ", "true"]);
  if (chance(0.3)) headers[chance(0.5) ? "x-beta" : "X-Beta"] = pick(["on", "off", "ON", ""]);
  if (chance(0.2)) headers.authorization = "Bearer t";
  if (chance(0.3)) headers["x-user"] = `user-${Math.floor(next() * 50)}`;
  // Named twice in different cases: the two values are combined with ", ".
  if (chance(0.05)) headers["X-BETA"] = "on";
  if (chance(0.1)) headers["user-agent"] = "parity/1.0 (\u00fcnic\u00f8de \"quoted\" \\ back)";
  if (Object.keys(headers).length > 0 || chance(0.1)) request.headers = headers;
  const cf = {};
  if (chance(0.5)) cf.colo = pick(COLOS);
  if (chance(0.6)) cf.country = pick(COUNTRIES);
  if (chance(0.6)) cf.continent = pick(CONTINENTS);
  if (chance(0.5)) {
    const latitude = Math.round((next() * 180 - 90) * 1e4) / 1e4;
    const longitude = Math.round((next() * 360 - 180) * 1e4) / 1e4;
    // Workers give request.cf.latitude and longitude as strings.
    cf.latitude = chance(0.5) ? String(latitude) : latitude;
    cf.longitude = chance(0.5) ? String(longitude) : longitude;
  }
  if (chance(0.05)) cf.colo = null;
  if (Object.keys(cf).length > 0 || chance(0.1)) request.cf = cf;
  return request;
}
