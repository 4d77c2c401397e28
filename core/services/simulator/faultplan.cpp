#include "faultplan.h"

#include <QStringList>

#include <array>
#include <cmath>
#include <utility>

namespace breakwater {
namespace {

constexpr std::array<QLatin1StringView, kFaultModeCount> kModeNames{
    QLatin1StringView("healthy"),
    QLatin1StringView("503"),
    QLatin1StringView("500"),
    QLatin1StringView("429"),
    QLatin1StringView("401_invalid_key"),
    QLatin1StringView("401_quota"),
    QLatin1StringView("hang"),
    QLatin1StringView("slow"),
    QLatin1StringView("reset"),
    QLatin1StringView("malformed"),
    QLatin1StringView("flapping"),
};

// What people type when they do not remember the canonical name; the vendor codes count too.
constexpr std::array<std::pair<QLatin1StringView, FaultMode>, 14> kAliases{{
    {QLatin1StringView("ok"), FaultMode::Healthy},
    {QLatin1StringView("unavailable"), FaultMode::ServiceUnavailable},
    {QLatin1StringView("service_unavailable"), FaultMode::ServiceUnavailable},
    {QLatin1StringView("internal_error"), FaultMode::InternalError},
    {QLatin1StringView("internal_server_error"), FaultMode::InternalError},
    {QLatin1StringView("rate_limited"), FaultMode::RateLimited},
    {QLatin1StringView("too_many_concurrent_requests"), FaultMode::RateLimited},
    {QLatin1StringView("invalid_key"), FaultMode::InvalidApiKey},
    {QLatin1StringView("invalid_api_key"), FaultMode::InvalidApiKey},
    {QLatin1StringView("quota"), FaultMode::QuotaExceeded},
    {QLatin1StringView("quota_exceeded"), FaultMode::QuotaExceeded},
    {QLatin1StringView("timeout"), FaultMode::Hang},
    {QLatin1StringView("connection_reset"), FaultMode::ConnectionReset},
    {QLatin1StringView("malformed_body"), FaultMode::MalformedBody},
}};

constexpr std::chrono::milliseconds kMaxLatency{600000};
constexpr std::chrono::seconds kMaxRetryAfter{3600};

bool isKnownMode(FaultMode mode)
{
    return int(mode) < kFaultModeCount; // the underlying type is unsigned
}

// 0.3 -> "30", 0.125 -> "12.5": a percentage without trailing noise.
QString percent(double fraction)
{
    return QString::number(fraction * 100.0, 'g', 4);
}

} // namespace

QString faultModeName(FaultMode mode)
{
    if (!isKnownMode(mode))
        return QStringLiteral("unknown");
    return QString(kModeNames[std::size_t(mode)]);
}

std::optional<FaultMode> faultModeFromName(QStringView name)
{
    const QStringView trimmed = name.trimmed();
    for (std::size_t i = 0; i < kModeNames.size(); ++i) {
        if (trimmed.compare(kModeNames[i], Qt::CaseInsensitive) == 0)
            return FaultMode(i);
    }
    for (const auto& [alias, mode] : kAliases) {
        if (trimmed.compare(alias, Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

QString describeFaultPlan(const FaultPlan& plan)
{
    QString text;
    switch (plan.mode) {
    case FaultMode::Slow:
        return QStringLiteral("slow ") % QString::number(plan.latency.count()) %
               QStringLiteral(" ms");
    case FaultMode::RateLimited:
        text = plan.retryAfter.count() > 0
                   ? QStringLiteral("429 with Retry-After ") %
                         QString::number(plan.retryAfter.count()) % QStringLiteral(" s")
                   : QStringLiteral("429 without Retry-After");
        break;
    case FaultMode::Flapping:
        text = QStringLiteral("flapping ") % percent(plan.flappingFailureRate) %
               QStringLiteral("% as ") % faultModeName(plan.flappingFailure) %
               QStringLiteral(" (seed ") % QString::number(plan.seed) % QStringLiteral(")");
        break;
    default:
        text = faultModeName(plan.mode);
        break;
    }
    if (plan.latency.count() > 0)
        text += QStringLiteral(", ") % QString::number(plan.latency.count()) %
                QStringLiteral(" ms latency");
    return text;
}

QString validateFaultPlan(const FaultPlan& plan)
{
    if (!isKnownMode(plan.mode))
        return QStringLiteral("mode is not a known fault mode");
    if (plan.latency.count() < 0 || plan.latency > kMaxLatency)
        return QStringLiteral("latency must be between 0 and ") %
               QString::number(kMaxLatency.count()) % QStringLiteral(" ms");
    if (plan.retryAfter.count() < 0 || plan.retryAfter > kMaxRetryAfter)
        return QStringLiteral("retry_after must be between 0 and ") %
               QString::number(kMaxRetryAfter.count()) % QStringLiteral(" s");
    // Written so that NaN fails too.
    if (!(plan.flappingFailureRate >= 0.0 && plan.flappingFailureRate <= 1.0))
        return QStringLiteral("flapping_failure_rate must be between 0 and 1");
    if (!isKnownMode(plan.flappingFailure) || plan.flappingFailure == FaultMode::Healthy ||
        plan.flappingFailure == FaultMode::Flapping)
        return QStringLiteral("flapping_failure must be a failure mode (not healthy or flapping)");
    return {};
}

} // namespace breakwater
