#include "breakerconfig.h"

#include <cmath>

namespace breakwater {

QString windowKindName(WindowKind kind)
{
    return kind == WindowKind::Count ? QStringLiteral("count") : QStringLiteral("time");
}

namespace {
bool isPercentage(double value)
{
    return std::isfinite(value) && value >= 0.0 && value <= 100.0;
}
} // namespace

QString validateBreakerConfig(const BreakerConfig& c)
{
    if (c.consecutiveFailures < 0)
        return QStringLiteral("consecutive_failures must not be negative (0 turns it off)");
    if (!isPercentage(c.failureRateThreshold))
        return QStringLiteral("failure_rate_threshold must be a percentage from 0 to 100");
    if (!isPercentage(c.slowCallRateThreshold))
        return QStringLiteral("slow_call_rate_threshold must be a percentage from 0 to 100");
    if (c.slowCallRateThreshold > 0 && c.slowCallDuration <= Duration::zero())
        return QStringLiteral("slow_call_duration_ms must be positive when slow calls trip");
    if (c.consecutiveFailures == 0 && c.failureRateThreshold == 0 && c.slowCallRateThreshold == 0)
        return QStringLiteral("at least one of consecutive_failures, failure_rate_threshold and "
                              "slow_call_rate_threshold must be set");
    const int maxWindow =
        c.windowKind == WindowKind::Count ? kMaxCountWindow : kMaxTimeWindowSeconds;
    if (c.windowSize < 1 || c.windowSize > maxWindow)
        return QStringLiteral("window_size must be between 1 and %1").arg(maxWindow);
    if (c.minimumCalls < 1)
        return QStringLiteral("minimum_calls must be at least 1");
    if (c.windowKind == WindowKind::Count && c.minimumCalls > c.windowSize)
        return QStringLiteral("minimum_calls must not exceed window_size for a count window");
    if (c.openWait <= Duration::zero())
        return QStringLiteral("open_wait_ms must be positive");
    if (!std::isfinite(c.openWaitMultiplier) || c.openWaitMultiplier < 1.0)
        return QStringLiteral("open_wait_multiplier must be at least 1");
    if (c.maxOpenWait < c.openWait)
        return QStringLiteral("max_open_wait_ms must be at least open_wait_ms");
    if (c.halfOpenPermits < 1 || c.halfOpenPermits > kMaxHalfOpenPermits)
        return QStringLiteral("half_open_permits must be between 1 and %1")
            .arg(kMaxHalfOpenPermits);
    if (c.halfOpenSuccesses < 1 || c.halfOpenSuccesses > c.halfOpenPermits)
        return QStringLiteral("half_open_successes must be between 1 and half_open_permits");
    if (c.maxHalfOpenWait < Duration::zero())
        return QStringLiteral("max_half_open_wait_ms must not be negative (0 turns it off)");
    return {};
}

} // namespace breakwater
