#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need,
# then runs every test. The README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked --all-targets 2>&1
