#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace breakwater {

namespace {
struct KindName
{
    BackoffKind kind;
    const char* name;
};
constexpr KindName kKindNames[] = {
    {BackoffKind::Constant, "constant"},
    {BackoffKind::Linear, "linear"},
    {BackoffKind::Exponential, "exponential"},
    {BackoffKind::FullJitter, "full_jitter"},
    {BackoffKind::EqualJitter, "equal_jitter"},
    {BackoffKind::DecorrelatedJitter, "decorrelated_jitter"},
};

std::int64_t uniformBetween(std::int64_t low, std::int64_t high, SplitMix64& random) noexcept
{
    if (high <= low)
        return low;
    return low + static_cast<std::int64_t>(random.nextUnit() * static_cast<double>(high - low));
}
} // namespace

QString backoffKindName(BackoffKind kind)
{
    for (const auto& entry : kKindNames) {
        if (entry.kind == kind)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

std::optional<BackoffKind> backoffKindFromName(const QString& name)
{
    for (const auto& entry : kKindNames) {
        if (name == QLatin1String(entry.name))
            return entry.kind;
    }
    return std::nullopt;
}

QString validateBackoff(const BackoffConfig& config)
{
    if (config.base < Duration::zero())
        return QStringLiteral("base must not be negative");
    // Every formula but constant grows from base: from zero it would never wait at all.
    if (config.base == Duration::zero() && config.kind != BackoffKind::Constant)
        return QStringLiteral("base must be positive for %1 backoff (0 never waits)")
            .arg(backoffKindName(config.kind));
    if (config.cap < config.base)
        return QStringLiteral("cap must be at least base");
    if (!std::isfinite(config.multiplier) || config.multiplier < 1.0)
        return QStringLiteral("multiplier must be a finite number of at least 1");
    return {};
}

Backoff::Backoff(const BackoffConfig& config)
    : m_config(config)
{
    const double cap = static_cast<double>(config.cap.count());
    double value = static_cast<double>(config.base.count());
    for (auto& entry : m_exponential) {
        entry = static_cast<std::int64_t>(std::min(value, cap));
        value = std::min(value * config.multiplier, cap);
    }
}

std::int64_t Backoff::exponentialNs(int retry) const noexcept
{
    const int step = std::max(retry, 1) - 1;
    if (step < kTableSize)
        return m_exponential[static_cast<std::size_t>(step)];
    // Past the table only a multiplier small enough not to reach the cap in 64 steps is still
    // growing; it pays for pow(), and an overflow to infinity lands on the cap.
    const std::int64_t cap = m_config.cap.count();
    if (m_exponential.back() >= cap)
        return cap;
    const double value =
        static_cast<double>(m_config.base.count()) * std::pow(m_config.multiplier, step);
    return value >= static_cast<double>(cap) ? cap : static_cast<std::int64_t>(value);
}

Duration Backoff::delay(int retry, BackoffState& state) const noexcept
{
    const std::int64_t base = m_config.base.count();
    const std::int64_t cap = m_config.cap.count();
    std::int64_t ns = 0;
    switch (m_config.kind) {
    case BackoffKind::Constant:
        ns = base;
        break;
    case BackoffKind::Linear:
        // Saturating: base * retry could overflow for absurd retry counts.
        ns = retry > 0 && base > cap / retry ? cap : base * std::max(retry, 1);
        break;
    case BackoffKind::Exponential:
        ns = exponentialNs(retry);
        break;
    case BackoffKind::FullJitter:
        ns = uniformBetween(0, exponentialNs(retry), state.random);
        break;
    case BackoffKind::EqualJitter: {
        const std::int64_t half = exponentialNs(retry) / 2;
        ns = half + uniformBetween(0, half, state.random);
        break;
    }
    case BackoffKind::DecorrelatedJitter: {
        const std::int64_t previous = std::max(state.previous.count(), base);
        const std::int64_t high = previous > cap / 3 ? cap : previous * 3;
        ns = uniformBetween(base, high, state.random);
        break;
    }
    }
    const Duration result{std::min(ns, cap)};
    state.previous = result;
    return result;
}

} // namespace breakwater
