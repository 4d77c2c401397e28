#pragma once

#include "backoff.h"
#include "errors/serviceerror.h"
#include "retrybudget.h"

namespace breakwater {

struct RetryConfig
{
    int maxAttempts = 3; // attempts in all, the first one included
    BackoffConfig backoff;
    // A server's Retry-After is honoured up to this long; a longer one is cut to it.
    Duration maxRetryAfter = std::chrono::seconds(30);
    // A watchdog on each attempt (0: rely on the attempt's own timeout).
    Duration attemptTimeout{0};
    RetryBudgetConfig budget;
};

// Why the config is unusable, naming the offending key, or an empty string when it is fine.
QString validateRetryConfig(const RetryConfig& config);

// The rules every call to one service retries by. Immutable and shared: executions hold a
// reference to it.
class RetryPolicy final
{
public:
    explicit RetryPolicy(const RetryConfig& config = {});

    // The wait before retry number `retry` after `cause`: the backoff delay, or the server's
    // Retry-After (capped at maxRetryAfter) when that is longer.
    Duration delay(int retry, BackoffState& state, const ServiceError& cause) const noexcept;

    int maxAttempts() const noexcept { return m_config.maxAttempts; }
    Duration attemptTimeout() const noexcept { return m_config.attemptTimeout; }
    const RetryConfig& config() const noexcept { return m_config; }

private:
    RetryConfig m_config;
    Backoff m_backoff;
};

} // namespace breakwater
