#!/usr/bin/env bash
# Builds Breakwater (release) and runs it on the embedded ElevenLabs simulator. Installs missing
# Debian packages first when run as root. Until the dashboard lands, what runs is the headless
# agent's seed scenario: a 503 outage met by retries, the breaker, an alert, fast skips and a
# health-checked recovery, told in the terminal. Arguments go to breakwater-agent (see --help).
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
cmake --preset release >/dev/null
cmake --build --preset release --target breakwater-agent
if [[ $# -eq 0 ]]; then
    set -- --scenario seed --log-dir logs
fi
exec ./build/release/app/breakwater-agent "$@"
