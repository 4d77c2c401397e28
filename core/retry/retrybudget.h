#pragma once

#include <QString>

#include <atomic>
#include <cstdint>

namespace breakwater {

struct RetryBudgetConfig
{
    double maxTokens = 10.0; // the bucket's size; retries stop below half of it
    double tokenRatio = 0.1; // tokens refunded per success
};

QString validateRetryBudget(const RetryBudgetConfig& config);

// gRPC-style retry throttling, shared by all calls to one service: every failed attempt costs a
// token, every success refunds tokenRatio, and retries are allowed only while more than half the
// tokens remain. During an outage the bucket drains and calls stop multiplying the load on the
// failing service; as successes return, so do retries. Lock-free; safe from any thread.
class RetryBudget final
{
public:
    explicit RetryBudget(const RetryBudgetConfig& config = {});
    RetryBudget(const RetryBudget&) = delete;
    RetryBudget& operator=(const RetryBudget&) = delete;

    bool canRetry() const noexcept;
    void onFailure() noexcept;
    void onSuccess() noexcept;
    double tokens() const noexcept;

private:
    // Fixed-point thousandths of a token, so one atomic integer holds the whole state.
    static constexpr std::int64_t kScale = 1000;
    void add(std::int64_t delta) noexcept;

    const std::int64_t m_max;
    const std::int64_t m_refund;
    std::atomic<std::int64_t> m_tokens;
};

} // namespace breakwater
