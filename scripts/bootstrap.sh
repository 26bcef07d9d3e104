#!/usr/bin/env bash
# Installs what building and testing Diddy-Mesh needs on a fresh Debian machine with the
# Swift toolchain: json-c (behind WireJSON), SQLite (behind GRDB) and the Python packages
# the end-to-end tests use. Safe to run again: it installs only what is missing.
set -euo pipefail

need_apt=()
pkg-config --exists json-c 2>/dev/null || need_apt+=(libjson-c-dev)
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v make >/dev/null 2>&1 || need_apt+=(make)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
  echo "bootstrap: installing ${need_apt[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-test-tools" ]; then
  # The editor integration tests (Tests/e2e/editors) drive a real Neovim and a real Emacs
  # with eglot (built into Emacs 29+, the elpa-eglot package for Debian's Emacs 28).
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
  emacs_has_eglot() {
    compgen -G '/usr/share/emacs/site-lisp/elpa/eglot-*' >/dev/null \
      || { command -v emacs >/dev/null 2>&1 \
           && emacs --batch -Q --eval '(kill-emacs (if (locate-library "eglot") 0 1))' >/dev/null 2>&1; }
  }
  need_editors=()
  command -v nvim >/dev/null 2>&1 || need_editors+=(neovim)
  command -v emacs >/dev/null 2>&1 || need_editors+=(emacs-nox)
  # The completion tests (Tests/e2e/test_completions.py) check each generated script with
  # its own shell, and the manual page test renders the page with groff.
  command -v zsh >/dev/null 2>&1 || need_editors+=(zsh)
  command -v fish >/dev/null 2>&1 || need_editors+=(fish)
  command -v groff >/dev/null 2>&1 || need_editors+=(groff-base)
  # make wasm shrinks the edge router's module with binaryen's wasm-opt when it is there.
  command -v wasm-opt >/dev/null 2>&1 || need_editors+=(binaryen)
  if [ "${#need_editors[@]}" -gt 0 ]; then
    echo "bootstrap: installing ${need_editors[*]} with apt-get" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_editors[@]}" >/dev/null
  fi
  if ! emacs_has_eglot; then
    [ "${#need_editors[@]}" -gt 0 ] || $SUDO apt-get update -qq
    if apt-cache show elpa-eglot >/dev/null 2>&1; then
      echo "bootstrap: installing elpa-eglot with apt-get" >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends elpa-eglot >/dev/null
    fi
  fi
  python3 -m pip install -q --disable-pip-version-check -r Tests/e2e/requirements.txt 2>&1 \
    | grep -v "Running pip as the 'root' user" || true
fi
