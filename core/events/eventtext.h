#pragma once

#include "event.h"

namespace breakwater {

// One readable line about an event for people at a terminal or in a feed, without the timestamp:
// "call-7 attempt 2 failed: 503 service_unavailable (12.4 ms)",
// "elevenlabs breaker closed -> open: 5 consecutive failures (threshold 5)".
QString describeEvent(const Event& event);

} // namespace breakwater
