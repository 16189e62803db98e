#!/bin/sh
# Regenerate configure and the Makefile templates from a git checkout.
# Release tarballs (make dist) already contain them.
set -e
cd "$(dirname "$0")"
exec autoreconf -fi
