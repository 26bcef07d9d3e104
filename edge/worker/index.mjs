// The Worker's entry for Cloudflare (`main` in wrangler.toml; edge/README.md, "Deploy"). The
// router is imported as a compiled WebAssembly.Module, which wrangler's CompiledWasm rule
// gives for a .wasm import; `make wasm` builds it into .build/wasm. Everything else is
// worker.mjs, which the tests run under Node with their own module and clock.
import module from "../../.build/wasm/diddy-mesh-router.wasm";

import { createWorker } from "./worker.mjs";

export default createWorker({ module });
