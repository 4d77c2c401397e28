#!/usr/bin/env bash
# Builds Breakwater (release) and opens the dashboard on the embedded ElevenLabs simulator, with
# load flowing. Installs missing Debian packages first when run as root. Arguments go to the
# dashboard (see ./run.sh --help). Without a display (neither DISPLAY nor WAYLAND_DISPLAY set) it
# says so and runs the headless agent's seed scenario in the terminal instead.
set -euo pipefail
cd "$(dirname "$0")"
.ci/install-deps
cmake --preset release >/dev/null
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): running the seed scenario" \
         "headless instead of the dashboard." >&2
    cmake --build --preset release --target breakwater-agent
    exec ./build/release/app/breakwater-agent --scenario seed --log-dir logs
fi
cmake --build --preset release --target breakwater
exec ./build/release/app/breakwater --log-dir logs "$@"
