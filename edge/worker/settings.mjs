// The Worker's settings: what a test injects (clock, randomness, sleep, fetch, log sink, the
// compiled router), then the deployment's vars, then the defaults. Vars are text from the
// deployment, so each is a number within bounds or it is not used (and the log says so).

/** Vars read from `env`, in seconds: `[name, setting, default, lowest, highest]`. */
const VARS = [
  ["MESH_CONFIG_REFRESH_SECONDS", "configRefreshMs", 10, 1, 3600],
  ["MESH_HEALTH_TTL_SECONDS", "healthTtlMs", 5, 1, 300],
];

const DEFAULTS = {
  /** How long a KV read of the config may take. */
  kvDeadlineMs: 2000,
  /** How long the health listing and registrations may take together. */
  healthDeadlineMs: 1000,
  /** Health records older than this count as none (the tools' default, docs/guide/registry.md). */
  staleAfterSeconds: 30,
  /** Listing pages of `health:` read, 1,000 keys each; the router reads at most 8 MiB of them. */
  maxPages: 5,
  maxRegistrations: 100,
  maxRegistrationBytes: 256 * 1024,
  /** Bodies up to this size are kept in memory so that a retry can send them again. */
  maxBufferedBody: 1024 * 1024,
  bodyDeadlineMs: 30_000,
  now: () => Date.now(),
  timer: () => performance.now(),
  random: () => Math.random(),
  randomBytes: (count) => crypto.getRandomValues(new Uint8Array(count)),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  fetch: (input, init) => fetch(input, init),
  log: (line) => console.log(JSON.stringify(line)),
};

/** The settings for `options` (from createWorker) and `env` (the Worker's bindings and vars). */
export function workerSettings(options, env) {
  if (!(options?.module instanceof WebAssembly.Module)) {
    throw new TypeError("createWorker needs options.module, the compiled router (a WebAssembly.Module)");
  }
  const settings = { ...DEFAULTS };
  const problems = [];
  for (const [name, setting, fallback, lowest, highest] of VARS) {
    settings[setting] = fallback * 1000;
    const value = env?.[name];
    if (value === undefined) continue;
    const seconds = Number(value);
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(seconds) && seconds >= lowest &&
      seconds <= highest) {
      settings[setting] = seconds * 1000;
    } else {
      problems.push(`${name} must be a number of seconds from ${lowest} to ${highest}; using ${fallback}`);
    }
  }
  Object.assign(settings, options);
  for (const problem of problems) settings.log({ event: "settings", level: "warning", problem });
  return settings;
}
