#!/usr/bin/env bash
# Links MeshSyntax, MeshConfig and MeshRouter, compiled as Embedded Swift for wasm32, into a
# WebAssembly module a host can call (issue 16), and runs it once to prove it works.
# `make wasm` runs it. It writes .build/wasm/diddy-mesh-router.wasm, whose exports are
# those of edge/router/Exports.swift (mesh_load, mesh_route, mesh_ref,
# mesh_report, mesh_reset, mesh_set_health, mesh_set_open_circuits, mesh_output_ptr,
# mesh_output_len; edge/README.md is their contract) plus memory, malloc and free for the host to pass bytes in.
#
# The steps: scripts/wasm-check.sh compiles the three modules; edge/router/*.swift is
# compiled against them as one more module; edge/runtime/runtime.c is the C runtime (allocator,
# memory functions, the libm functions used, Double parsing); and wasm-ld links all of it
# without the toolchain's Unicode data tables (libswiftUnicodeDataTables.a): the module's
# code compares, hashes and case-maps text byte for byte (docs/edge.md, "The module's size"),
# so a change that brings back `String` comparison, hashing or `Character`s fails the link.
#
# Environment: SWIFTC (default swiftc), CLANG (default clang), WASM_LD (default wasm-ld),
# NODE (default node), WASM_SKIP_CHECK=1 to reuse the modules of the last wasm-check.
set -euo pipefail
cd "$(dirname "$0")/.."

swiftc="${SWIFTC:-swiftc}"
clang="${CLANG:-clang}"
wasm_ld="${WASM_LD:-wasm-ld}"
node="${NODE:-node}"
out=.build/wasm
modules="$out/modules"
objects="$out/objects"
module="$out/diddy-mesh-router.wasm"

for tool in "$swiftc" "$clang" "$wasm_ld"; do
  if ! command -v "$tool" > /dev/null; then
    echo "wasm-build: $tool not found; the Swift 6.3 toolchain has swiftc, clang and wasm-ld" >&2
    exit 1
  fi
done

started=$SECONDS
if [ "${WASM_SKIP_CHECK:-0}" != 1 ] || [ ! -e "$modules/MeshRouter.o" ]; then
  WASM_OUT="$modules" ./scripts/wasm-check.sh
fi
rm -rf "$objects" "$module"
mkdir -p "$objects"

# The exports are one more Embedded module, compiled with the same flags as the other three
# so that the generic code it specializes from them is built the same way, and in their
# package (scripts/wasm-check.sh), so that it sees their `package` helpers.
edge_sources=()
while IFS= read -r -d '' file; do edge_sources+=("$file"); done \
  < <(find edge/router -name '*.swift' -print0 | sort -z)
if ! "$swiftc" -target wasm32-unknown-none-wasm \
  -enable-experimental-feature Embedded -enable-experimental-feature Extern \
  -enable-upcoming-feature MemberImportVisibility -swift-version 6 \
  -wmo -Osize -parse-as-library -lto=llvm-full -Xllvm -sil-inline-overall-caller-block-limit=20 \
  -warnings-as-errors -I "$modules" -package-name diddy_mesh \
  -module-name MeshEdge -c -o "$objects/MeshEdge.o" "${edge_sources[@]}"; then
  echo "wasm-build: edge/router does not compile (errors above)" >&2
  exit 1
fi

# -ffreestanding and -fno-builtin keep clang from replacing the loops of memcpy, memset and
# the like with calls to those same functions, and from assuming a C library is there.
if ! "$clang" --target=wasm32-unknown-none-wasm -Os -ffreestanding -fno-builtin -nostdlib \
  -Wall -Wextra -Werror -c edge/runtime/runtime.c -o "$objects/runtime.o"; then
  echo "wasm-build: edge/runtime/runtime.c does not compile (errors above)" >&2
  exit 1
fi

# --no-entry: a library for a host, not a program with a main. The stack comes first in
# memory so that overflowing it traps on an address below zero instead of overwriting the
# data after it. It gets 64 KiB (WASM_STACK_SIZE changes it, to find the least that works):
# every edge test passes with 16 KiB, the deepest among them health and open circuits nested
# to the JSON parser's limit of 256 levels and past it and paths of 400,000 segments
# (edge/tests/abi.test.mjs; requests come in the field form, which has no nesting), so 64 KiB
# leaves four times that. The module loads route plans,
# which it reads without recursion; when it analysed configs itself (the schema validator and
# the model builder recursing with the nesting), it needed 416 KiB. --strip-debug keeps the
# function names (wasm-opt below moves them out of the module) but drops DWARF. The Unicode
# tables are not linked, on purpose (above). The Swift objects are bitcode, optimized here as
# one program (--lto-O2; the functions keep the size attributes -Osize gave them).
if ! "$wasm_ld" --no-entry --lto-O2 --stack-first -z stack-size="${WASM_STACK_SIZE:-65536}" --strip-debug \
  --export=mesh_load --export=mesh_route --export=mesh_ref --export=mesh_report --export=mesh_reset \
  --export=mesh_set_health --export=mesh_set_open_circuits --export=mesh_output_ptr --export=mesh_output_len \
  --export=malloc --export=free \
  "$modules/MeshSyntax.o" "$modules/MeshConfig.o" "$modules/MeshRouter.o" \
  "$objects/MeshEdge.o" "$objects/runtime.o" -o "$module"; then
  echo "wasm-build: linking $module failed. Undefined _swift_stdlib_get* or _swift_stdlib_is*" \
    "symbols are the Unicode tables: some code of the module compares, hashes, case-maps or walks" \
    "the characters of a String (python3 Benchmarks/edge/unicode_reach.py on a module linked with" \
    "the toolchain's libswiftUnicodeDataTables.a says where); other undefined symbols are missing" \
    "from edge/runtime/runtime.c" >&2
  exit 1
fi
echo "wasm-build: $module, $(wc -c < "$module" | tr -d ' ') bytes, in $((SECONDS - started)) s"

# wasm-opt -Oz (binaryen), when installed, shrinks the module by about a sixth at the same
# decision times (docs/edge.md). The module a Worker deploys carries no names: they were a
# twentieth of it gzipped, and keeping them (-g) also keeps wasm-opt from some of its work. Of
# its custom sections only target_features stays (about 100 bytes), which tells tools such as
# wasm-opt itself that the code uses bulk memory and sign extension. The names go to a symbol
# map beside it (`index:name` lines, for reading a trap's `wasm-function[N]`), and into a copy
# with the same code and a name section, diddy-mesh-router.named.wasm, which the size tools
# read (Benchmarks/edge). Then Benchmarks/edge/function-order.mjs renumbers the functions in
# the order gzip compresses best, like functions together (3.5 % of the gzipped module;
# docs/edge.md), and the symbol map with them; wasm-opt reads the result once more, which
# validates it. Everything below tests the module as optimized: the one a Worker deploys.
# WASM_OPT= (empty) leaves wasm-opt out, and the module then keeps the linker's names.
wasm_opt="${WASM_OPT-wasm-opt}"
symbols="$out/diddy-mesh-router.symbols"
named="$out/diddy-mesh-router.named.wasm"
rm -f "$symbols" "$named"
if [ -n "$wasm_opt" ] && command -v "$wasm_opt" > /dev/null; then
  linked=$(wc -c < "$module" | tr -d ' ')
  "$wasm_opt" -Oz --strip-producers --symbolmap="$symbols" "$module" -o "$module.opt"
  mv "$module.opt" "$module"
  echo "wasm-build: $wasm_opt -Oz: $linked to $(wc -c < "$module" | tr -d ' ') bytes, names in $symbols"
  if command -v "$node" > /dev/null; then
    optimized=$(wc -c < "$module" | tr -d ' ')
    "$node" --input-type=module -e '
      import { readFileSync, writeFileSync } from "node:fs";
      import { reorderedSymbolMap, withFunctionsOrdered } from "./Benchmarks/edge/function-order.mjs";
      import { withFunctionNames } from "./Benchmarks/edge/wasm-sections.mjs";
      const [module, symbols, named] = process.argv.slice(1);
      const ordered = withFunctionsOrdered(readFileSync(module));
      const symbolMap = reorderedSymbolMap(readFileSync(symbols, "utf8"), ordered.order);
      writeFileSync(module, ordered.bytes);
      writeFileSync(symbols, symbolMap);
      writeFileSync(named, withFunctionNames(ordered.bytes, symbolMap));
    ' "$module" "$symbols" "$named"
    if ! "$wasm_opt" "$module" -o /dev/null 2> "$objects/validate.log"; then
      cat "$objects/validate.log" >&2
      echo "wasm-build: the module with its functions renumbered is not valid (above)" >&2
      exit 1
    fi
    echo "wasm-build: functions ordered for gzip: $(gzip -9c "$module" | wc -c | tr -d ' ') bytes gzipped" \
      "($optimized raw before, $(wc -c < "$module" | tr -d ' ') after)"
  fi
elif [ -n "$wasm_opt" ]; then
  echo "wasm-build: $wasm_opt (binaryen) not found, so the module is not shrunk (apt-get install binaryen)"
fi

# The runtime is also linked on its own with everything exported, for its own test.
"$wasm_ld" --no-entry --export-all --stack-first "$objects/runtime.o" -o "$objects/runtime-test.wasm"

# One run proves the module instantiates without imports and routes: the shop example has
# eight services, no errors, and sends /api/orders/12 to its second rule. The runtime test
# checks the allocator, the libm functions and Double parsing against JavaScript's.
if command -v "$node" > /dev/null; then
  # The module loads route plans, which the CLI compiles (docs/edge.md, "The route plan"):
  # the smoke test and the edge tests need it, found as edge/tests/support/plans.mjs finds it
  # (DIDDY_MESH_BIN, else the newer debug build; `make wasm` builds it first).
  cli="$("$node" --input-type=module \
    -e 'import { cliPath } from "./edge/tests/support/plans.mjs"; console.log(cliPath());')"
  if [ ! -x "$cli" ]; then
    echo "wasm-build: the module was linked, but its tests need the CLI to compile route plans:" \
      "run swift build (or set DIDDY_MESH_BIN), then this again" >&2
    exit 1
  fi
  "$node" edge/runtime/runtime-test.mjs "$objects/runtime-test.wasm"
  "$cli" config plan examples/shop/diddy-mesh.jsonc --output "$objects/shop.plan"
  "$node" edge/runtime/smoke-test.mjs "$module" "$objects/shop.plan" \
    https://shop.example.com/api/orders/12 8 0 1
  # The ABI's contract, parity with the native CLI on the shop's route tests, 20,000
  # generated requests and live health, then the Worker of edge/worker against loopback
  # upstreams (edge/README.md, "The tests").
  # Absolute, since the parity test runs the CLI in folders of its own.
  DIDDY_MESH_BIN="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
  export DIDDY_MESH_BIN
  if ! "$node" --test --test-reporter=spec edge/tests/; then
    echo "wasm-build: the edge tests failed (above); node --test edge/tests/ runs them again" >&2
    exit 1
  fi
else
  echo "wasm-build: $node not found, so the module was linked but not run" >&2
fi

# WasmKit, which the Swift toolchain ships, runs it too: its command line can pass only
# numbers and makes one call per run, so it loads empty bytes (no pointer, no bytes), which
# are not a route plan: status 5, badPlan.
if command -v wasmkit > /dev/null; then
  status="$(wasmkit run "$module" mesh_load i32:0 i32:0)"
  if [ "$status" != "[WasmTypes.Value.i32(5)]" ]; then
    echo "wasm-build: wasmkit: mesh_load of empty bytes gave $status, not 5 (not a route plan)" >&2
    exit 1
  fi
  echo "wasm-build: wasmkit runs it too (empty bytes are refused as not a route plan)"
fi
