// SHA-256 of bytes as lower-case hex, the form of mesh:config's metadata (docs/guide/registry.md),
// computed with Web Crypto, which Workers and Node both have.

import { hex } from "./trace-context.mjs";

export async function sha256Hex(bytes) {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}
