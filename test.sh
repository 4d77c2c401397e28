#!/usr/bin/env bash
# Builds Breakwater and runs every test. Installs missing Debian packages first when run as root.
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
cmake --preset dev
cmake --build --preset dev
ctest --preset dev
