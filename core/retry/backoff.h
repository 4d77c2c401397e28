#pragma once

#include "clock/clock.h"
#include "splitmix64.h"

#include <QString>

#include <array>
#include <optional>

namespace breakwater {

// The delay formulas of AWS's "Exponential Backoff and Jitter", plus constant and linear.
enum class BackoffKind : quint8
{
    Constant,          // base
    Linear,            // base * n
    Exponential,       // base * multiplier^(n-1)
    FullJitter,        // random(0, exponential)
    EqualJitter,       // exponential/2 + random(0, exponential/2)
    DecorrelatedJitter // random(base, previous * 3)
};

struct BackoffConfig
{
    BackoffKind kind = BackoffKind::FullJitter;
    Duration base = std::chrono::milliseconds(200);
    double multiplier = 2.0;
    Duration cap = std::chrono::seconds(10);
};

// Stable names as used in config files: "constant", "linear", "exponential", "full_jitter",
// "equal_jitter", "decorrelated_jitter".
QString backoffKindName(BackoffKind kind);
std::optional<BackoffKind> backoffKindFromName(const QString& name);

// Why a BackoffConfig is unusable, or an empty string when it is fine.
QString validateBackoff(const BackoffConfig& config);

// What one call's sequence of delays remembers between retries: the random source and, for
// decorrelated jitter, the previous delay.
struct BackoffState
{
    explicit BackoffState(std::uint64_t seed = 0) noexcept
        : random(seed)
    {}
    SplitMix64 random;
    Duration previous{0};
};

// Computes delays in constant time: the capped exponential curve is tabulated once, so no call
// pays for pow(). Copyable; the same policy serves every call.
class Backoff final
{
public:
    explicit Backoff(const BackoffConfig& config = {});

    // The delay before retry number `retry` (1 for the first retry), never above the cap.
    Duration delay(int retry, BackoffState& state) const noexcept;

    const BackoffConfig& config() const noexcept { return m_config; }

private:
    // base * multiplier^k, capped; once the cap is reached every later entry equals it.
    static constexpr int kTableSize = 64;
    std::int64_t exponentialNs(int retry) const noexcept;

    BackoffConfig m_config;
    std::array<std::int64_t, kTableSize> m_exponential{};
};

} // namespace breakwater
