#!/usr/bin/env bash
# Builds Breakwater (release) and launches it. Installs missing Debian packages first when run as
# root. Until the dashboard lands, the program is breakwater-demo: the circuit breaker's story
# told in the terminal on the real clock.
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
cmake --preset release >/dev/null
cmake --build --preset release --target breakwater-demo
exec ./build/release/app/breakwater-demo "$@"
