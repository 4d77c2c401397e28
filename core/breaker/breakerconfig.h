#pragma once

#include "clock/clock.h"

#include <QString>

namespace breakwater {

// Count: the window holds the last windowSize calls. Time: the calls of the last windowSize
// seconds, in one-second buckets.
enum class WindowKind : quint8
{
    Count,
    Time
};

QString windowKindName(WindowKind kind); // "count" | "time"

// Every threshold is optional (0 turns it off); the breaker trips on whichever is met first.
struct BreakerConfig
{
    // Trip on N failures in a row: the seed system's rule.
    int consecutiveFailures = 5;

    // Trip when failures reach this percentage of the window, once it has minimumCalls.
    double failureRateThreshold = 50.0;
    // Trip when calls at least slowCallDuration long reach this percentage of the window.
    double slowCallRateThreshold = 0.0;
    Duration slowCallDuration = std::chrono::seconds(5);

    WindowKind windowKind = WindowKind::Count;
    int windowSize = 20; // calls or seconds
    int minimumCalls = 10;

    // How long Open rejects calls before trying HalfOpen. With a multiplier above 1 the wait grows
    // across trips that follow each other without a successful close, up to maxOpenWait.
    Duration openWait = std::chrono::seconds(10);
    double openWaitMultiplier = 1.0;
    Duration maxOpenWait = std::chrono::minutes(5);

    // HalfOpen lets exactly halfOpenPermits trial calls through and closes after
    // halfOpenSuccesses of them (or of health probes) succeed.
    int halfOpenPermits = 3;
    int halfOpenSuccesses = 2;
    // A HalfOpen breaker with no verdict after this long reopens (0: never).
    Duration maxHalfOpenWait = std::chrono::seconds(60);
};

// Largest window sizes: a count window's counters are 16 bits wide; an hour of one-second buckets
// is plenty for a time window.
constexpr int kMaxCountWindow = 65535;
constexpr int kMaxTimeWindowSeconds = 3600;
constexpr int kMaxHalfOpenPermits = 8191;

// Why the config is unusable, naming the offending field as in the config file (e.g.
// "minimum_calls must be at least 1"), or an empty string when it is fine.
QString validateBreakerConfig(const BreakerConfig& config);

} // namespace breakwater
