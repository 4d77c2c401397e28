#include "retrybudget.h"

#include <algorithm>
#include <cmath>

namespace breakwater {

QString validateRetryBudget(const RetryBudgetConfig& config)
{
    if (!std::isfinite(config.maxTokens) || config.maxTokens < 1.0 || config.maxTokens > 1e6)
        return QStringLiteral("max_tokens must be between 1 and 1000000");
    if (!std::isfinite(config.tokenRatio) || config.tokenRatio <= 0.0 || config.tokenRatio > 1.0)
        return QStringLiteral("token_ratio must be above 0 and at most 1");
    return {};
}

RetryBudget::RetryBudget(const RetryBudgetConfig& config)
    : m_max(std::llround(config.maxTokens * kScale))
    , m_refund(std::max<std::int64_t>(1, std::llround(config.tokenRatio * kScale)))
    , m_tokens(m_max)
{}

bool RetryBudget::canRetry() const noexcept
{
    return m_tokens.load(std::memory_order_relaxed) * 2 > m_max;
}

void RetryBudget::onFailure() noexcept
{
    add(-kScale);
}

void RetryBudget::onSuccess() noexcept
{
    // A full bucket is the steady state: skip the write so successes cost a plain load.
    if (m_tokens.load(std::memory_order_relaxed) >= m_max)
        return;
    add(m_refund);
}

double RetryBudget::tokens() const noexcept
{
    return static_cast<double>(m_tokens.load(std::memory_order_relaxed)) / kScale;
}

void RetryBudget::add(std::int64_t delta) noexcept
{
    std::int64_t current = m_tokens.load(std::memory_order_relaxed);
    std::int64_t next = 0;
    do {
        next = std::clamp<std::int64_t>(current + delta, 0, m_max);
    } while (next != current &&
             !m_tokens.compare_exchange_weak(current, next, std::memory_order_relaxed));
}

} // namespace breakwater
