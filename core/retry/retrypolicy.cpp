#include "retrypolicy.h"

namespace breakwater {

QString validateRetryConfig(const RetryConfig& config)
{
    if (config.maxAttempts < 1 || config.maxAttempts > 100)
        return QStringLiteral("max_attempts must be between 1 and 100");
    if (const QString problem = validateBackoff(config.backoff); !problem.isEmpty())
        return problem;
    if (config.maxRetryAfter < Duration::zero())
        return QStringLiteral("max_retry_after_ms must not be negative");
    if (config.attemptTimeout < Duration::zero())
        return QStringLiteral("attempt_timeout_ms must not be negative (0 turns it off)");
    return validateRetryBudget(config.budget);
}

RetryPolicy::RetryPolicy(const RetryConfig& config)
    : m_config(config)
    , m_backoff(config.backoff)
{}

Duration RetryPolicy::delay(int retry, BackoffState& state,
                            const ServiceError& cause) const noexcept
{
    const Duration backoff = m_backoff.delay(retry, state);
    if (!cause.retryAfter)
        return backoff;
    const Duration asked = std::min<Duration>(*cause.retryAfter, m_config.maxRetryAfter);
    return std::max(backoff, asked);
}

} // namespace breakwater
