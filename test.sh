#!/usr/bin/env bash
# Builds Breakwater with AddressSanitizer + UndefinedBehaviorSanitizer and runs every test there,
# so that one build both checks behaviour and catches memory errors and undefined behaviour.
# Installs missing Debian packages first when run as root. Exits non-zero if anything fails.
# (`cmake --preset dev` is the plain debug build, for a debugger.)
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
cmake --preset asan
cmake --build --preset asan
ctest --preset asan
