#include "timescale.h"

#include <cmath>

namespace breakwater {
namespace {

template <typename Rep, typename Period>
std::chrono::duration<Rep, Period> scaled(std::chrono::duration<Rep, Period> d, double scale)
{
    if (d.count() == 0)
        return d;
    // Never to zero: a timeout of 0 often means "none", which scaling must not switch on.
    return std::chrono::duration<Rep, Period>(
        std::max<Rep>(1, Rep(std::llround(double(d.count()) * scale))));
}

} // namespace

AppConfig scaleTimes(const AppConfig& config, double scale)
{
    AppConfig c = config;
    if (scale == 1.0 || !(scale > 0.0))
        return c;
    c.elevenlabs.timeout = scaled(c.elevenlabs.timeout, scale);
    c.elevenlabs.probeTimeout = scaled(c.elevenlabs.probeTimeout, scale);
    c.retry.backoff.base = scaled(c.retry.backoff.base, scale);
    c.retry.backoff.cap = scaled(c.retry.backoff.cap, scale);
    c.retry.maxRetryAfter = scaled(c.retry.maxRetryAfter, scale);
    c.retry.attemptTimeout = scaled(c.retry.attemptTimeout, scale);
    c.breaker.slowCallDuration = scaled(c.breaker.slowCallDuration, scale);
    c.breaker.openWait = scaled(c.breaker.openWait, scale);
    c.breaker.maxOpenWait = scaled(c.breaker.maxOpenWait, scale);
    c.breaker.maxHalfOpenWait = scaled(c.breaker.maxHalfOpenWait, scale);
    c.health.interval = scaled(c.health.interval, scale);
    c.health.healthyInterval = scaled(c.health.healthyInterval, scale);
    c.health.timeout = scaled(c.health.timeout, scale);
    c.simulator.initialPlan.latency = scaled(c.simulator.initialPlan.latency, scale);
    // The alert rules' windows and the grouping waits follow the story; the channels' timeouts
    // and retries do not, since the servers they talk to keep their own time.
    c.alerts.rules.stuckAfter = scaled(c.alerts.rules.stuckAfter, scale);
    c.alerts.rules.flappingWindow = scaled(c.alerts.rules.flappingWindow, scale);
    c.alerts.rules.retriesExhaustedWindow = scaled(c.alerts.rules.retriesExhaustedWindow, scale);
    c.alerts.routing.groupWait = scaled(c.alerts.routing.groupWait, scale);
    c.alerts.routing.groupInterval = scaled(c.alerts.routing.groupInterval, scale);
    c.alerts.routing.repeatInterval = scaled(c.alerts.routing.repeatInterval, scale);
    c.load.callsPerSecond = c.load.callsPerSecond / scale;
    return c;
}

} // namespace breakwater
