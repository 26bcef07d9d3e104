// Which KV namespace holds the mesh. A Worker cannot read mesh.registry.binding before it has
// the config, which is in that namespace, so the name comes from the Worker's own settings:
// the `MESH_BINDING` var when set, else the only KV binding the Worker has. That is the rule
// the tools follow when a config names no binding (docs/guide/registry.md: "a project whose
// wrangler config has exactly one KV namespace needs no mesh.registry at all"), and setting
// MESH_BINDING to the config's mesh.registry.binding makes the two agree in every case.

/** Whether `value` is a KV namespace binding: the three reads the Worker makes are there. */
export function isKVNamespace(value) {
  return value !== null && typeof value === "object" && typeof value.get === "function" &&
    typeof value.getWithMetadata === "function" && typeof value.list === "function";
}

/** `{kv, name}` for `env`, or `{problem}`: a sentence saying what to set. */
export function resolveBinding(env) {
  const named = env?.MESH_BINDING;
  if (named !== undefined) {
    // A var is text from the deployment's settings: used as a name only after checking it.
    if (typeof named !== "string" || !/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(named)) {
      return { problem: "MESH_BINDING must be the name of a KV binding (letters, digits and _)" };
    }
    if (!isKVNamespace(env[named])) {
      return { problem: `MESH_BINDING names ${named}, but the Worker has no KV binding of that name` };
    }
    return { kv: env[named], name: named };
  }
  const bindings = Object.keys(env ?? {}).filter((name) => isKVNamespace(env[name]));
  if (bindings.length === 1) return { kv: env[bindings[0]], name: bindings[0] };
  return {
    problem: bindings.length === 0
      ? "the Worker has no KV binding; add the mesh's kv_namespaces entry to its wrangler config"
      : `the Worker has several KV bindings (${bindings.sort().join(", ")}); set the MESH_BINDING var to the mesh's`,
  };
}
