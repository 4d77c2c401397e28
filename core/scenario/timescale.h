#pragma once

#include "config/appconfig.h"

namespace breakwater {

// The config with every delay, timeout and interval multiplied by scale (and the load's rate
// divided by it), so a scenario written for minutes of real time runs in seconds. Rates,
// thresholds and counts are left alone: the story is the same, only faster.
AppConfig scaleTimes(const AppConfig& config, double scale);

} // namespace breakwater
