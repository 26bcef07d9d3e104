#!/usr/bin/env bash
# Checks that the core that must also run at the edge (MeshSyntax, MeshConfig and MeshRouter)
# compiles as Embedded Swift for wasm32 from the same sources as the native build (issue 16).
# `make wasm-check` runs it; it takes about a minute on two cores.
#
# Each module is compiled on its own, in dependency order, the way a package build would:
# MeshSyntax, then MeshConfig against MeshSyntax's module, then MeshRouter against both. Each
# step writes a .swiftmodule and an object file into .build/wasm/modules, which
# scripts/wasm-build.sh links into a .wasm. The objects still need the Unicode data tables of
# the toolchain (lib/swift/embedded/wasm32-unknown-none-wasm/libswiftUnicodeDataTables.a)
# and a small C runtime (edge/runtime/runtime.c) to link; compiling needs neither. The objects
# are LLVM bitcode (-lto=llvm-full), which wasm-ld optimizes as one program when it links them.
#
# Environment: SWIFTC (default swiftc), WASM_OUT (default .build/wasm/modules).
set -euo pipefail
cd "$(dirname "$0")/.."

swiftc="${SWIFTC:-swiftc}"
out="${WASM_OUT:-.build/wasm/modules}"
modules=(MeshSyntax MeshConfig MeshRouter)

# A toolchain without the Embedded standard library for wasm32 fails every module with the
# same "no such module 'Swift'" error, so it is named once here instead.
if ! swiftc_path="$(command -v "$swiftc")"; then
  echo "wasm-check: $swiftc not found; put a Swift 6.3 toolchain on PATH or set SWIFTC" >&2
  exit 1
fi
resource_dir="$(dirname "$(dirname "$(readlink -f "$swiftc_path")")")/lib/swift"
if [ ! -e "$resource_dir/embedded/Swift.swiftmodule/wasm32-unknown-none-wasm.swiftmodule" ]; then
  echo "wasm-check: $swiftc has no Embedded Swift standard library for wasm32" \
    "(looked in $resource_dir/embedded); a Swift 6.3 toolchain from swift.org has it" >&2
  exit 1
fi

# Embedded Swift needs whole-module optimization; -Osize is what an edge module ships with.
# The language mode and MemberImportVisibility are those Package.swift sets for every target,
# so code that builds natively means the same here. Extern is for the @_extern(c) libm
# declarations in GeoPlacement.swift. Warnings are errors, as a native build has none. The
# package name is the one SwiftPM gives the modules, for what they share at `package` access.
# -lto=llvm-full leaves the code as bitcode for wasm-ld to optimize across the modules (one
# module's code inlined into, or found identical to, another's): 5 % off the gzipped module.
# The SIL inliner stops inlining into a function that has grown to 20 blocks (400 by default):
# 5 % off the gzipped module at about 2 % of a decision's time (docs/edge.md, "Size"; 8 blocks
# took 0.3 % more off at 4-8 % of the time). Both are for the edge only; the native build keeps
# its defaults.
flags=(
  -target wasm32-unknown-none-wasm
  -enable-experimental-feature Embedded
  -enable-experimental-feature Extern
  -enable-upcoming-feature MemberImportVisibility
  -swift-version 6
  -package-name diddy_mesh
  -wmo -Osize -parse-as-library -lto=llvm-full -Xllvm -sil-inline-overall-caller-block-limit=20
  -warnings-as-errors
  -I "$out"
)

# The outputs of an earlier run are removed first, so a module that no longer compiles can
# never be hidden by a stale .swiftmodule that the next module would import.
rm -rf "$out"
mkdir -p "$out"

started=$SECONDS
for module in "${modules[@]}"; do
  module_started=$SECONDS
  sources=()
  while IFS= read -r -d '' file; do sources+=("$file"); done \
    < <(find "Sources/$module" -name '*.swift' -print0 | sort -z)
  if ! "$swiftc" "${flags[@]}" -module-name "$module" \
    -emit-module -emit-module-path "$out/$module.swiftmodule" \
    -c -o "$out/$module.o" "${sources[@]}"; then
    echo "wasm-check: $module does not compile as Embedded Swift for wasm32 (errors above)." >&2
    echo "wasm-check: these three modules must avoid key paths, reflection such as" \
      "String(describing:), existentials (any P), dynamic casts (as?, is, [T] as [T?])," \
      "_StringProcessing (String.contains(String)), Foundation and libc modules." >&2
    exit 1
  fi
  echo "wasm-check: $module compiled ($((SECONDS - module_started)) s)"
done
echo "wasm-check: MeshSyntax, MeshConfig and MeshRouter compile as Embedded Swift for wasm32" \
  "in $((SECONDS - started)) s; modules and objects are in $out"
