#include "callstats.h"

#include <algorithm>
#include <cmath>

namespace breakwater {

namespace {

// The ring keeps the window's complete seconds, the one still filling, and one spare so a batch
// that straddles a second boundary never evicts the oldest second the charts still show.
constexpr int kExtraSeconds = 2;

std::int64_t secondOf(WallTime time) noexcept
{
    return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

double millisecondsOf(std::int64_t second) noexcept
{
    return double(second) * 1000.0;
}

bool isUsableLatency(const std::optional<double>& latencyMs) noexcept
{
    return latencyMs && std::isfinite(*latencyMs) && *latencyMs >= 0.0;
}

} // namespace

struct CallStats::ServiceBuckets
{
    ServiceBuckets(const QString& serviceName, int seconds)
        : name(serviceName)
        , ring(seconds)
    {}

    QString name;
    BucketRing ring;
};

std::optional<CallOutcome> callOutcomeOf(const Event& event)
{
    switch (event.type) {
    case EventType::CallSucceeded: {
        // The pipeline puts the number of attempts on call_succeeded; the reason is the fallback
        // for a stream that leaves it out.
        const bool retried =
            event.attempt > 1 ||
            (event.attempt == 0 && event.reason == QLatin1StringView("succeeded_after_retry"));
        return retried ? CallOutcome::RetriedThenSucceeded : CallOutcome::Succeeded;
    }
    case EventType::CallFailed:
        return CallOutcome::Failed;
    case EventType::CallSkipped:
        return CallOutcome::Skipped;
    case EventType::CallDegraded:
        return CallOutcome::Degraded;
    default:
        return std::nullopt;
    }
}

CallStats::CallStats(std::chrono::seconds window)
    : m_window(std::max(window, std::chrono::seconds{1}))
    , m_total(int(m_window.count()) + kExtraSeconds)
{}

CallStats::~CallStats() = default;

void CallStats::clear()
{
    m_total = BucketRing(m_total.seconds());
    m_services.clear();
    m_lastService = nullptr;
    m_newestSecond = SecondBucket::kUnused;
    m_droppedOld = 0;
}

void CallStats::appendEvents(std::span<const Event> events)
{
    for (const Event& event : events) {
        const bool counted = isTerminal(event.type) || event.type == EventType::AttemptSucceeded ||
                             event.type == EventType::AttemptFailed;
        if (!counted)
            continue;
        const std::int64_t second = secondOf(event.time);
        if (m_newestSecond != SecondBucket::kUnused &&
            second <= m_newestSecond - m_total.seconds()) {
            ++m_droppedOld;
            continue;
        }
        m_newestSecond = std::max(m_newestSecond, second);
        count(event, second);
    }
}

void CallStats::count(const Event& event, std::int64_t second)
{
    SecondBucket* buckets[2] = {m_total.bucketForWrite(second), nullptr};
    if (BucketRing* ring = ringFor(event.service))
        buckets[1] = ring->bucketForWrite(second);

    const std::optional<CallOutcome> outcome = callOutcomeOf(event);
    const bool attemptEnded =
        event.type == EventType::AttemptSucceeded || event.type == EventType::AttemptFailed;
    for (SecondBucket* bucket : buckets) {
        if (bucket == nullptr)
            continue;
        if (outcome) {
            ++bucket->callsEnded[std::size_t(*outcome)];
            continue;
        }
        if (!attemptEnded)
            continue;
        ++bucket->attempts;
        if (event.type == EventType::AttemptFailed)
            ++bucket->failedAttempts;
        if (isUsableLatency(event.latencyMs)) {
            if (!bucket->latency)
                bucket->latency = std::make_unique<LatencyHistogram>();
            bucket->latency->add(*event.latencyMs);
            bucket->percentileCacheValid = false;
        }
    }
}

BucketRing* CallStats::ringFor(const QString& service)
{
    if (service.isEmpty())
        return nullptr;
    if (m_lastService != nullptr && m_lastService->name == service)
        return &m_lastService->ring;
    for (const auto& known : m_services) {
        if (known->name == service) {
            m_lastService = known.get();
            return &known->ring;
        }
    }
    if (int(m_services.size()) >= kMaxServices)
        return nullptr;
    m_services.push_back(std::make_unique<ServiceBuckets>(service, m_total.seconds()));
    m_lastService = m_services.back().get();
    return &m_lastService->ring;
}

const BucketRing* CallStats::ringFor(const QString& service) const
{
    if (service.isEmpty())
        return &m_total;
    for (const auto& known : m_services) {
        if (known->name == service)
            return &known->ring;
    }
    return nullptr;
}

QList<QPointF> CallStats::series(CallMetric metric, const QString& service, WallTime now) const
{
    QList<QPointF> points;
    const BucketRing* ring = ringFor(service);
    const std::int64_t end = secondOf(now); // exclusive: still filling
    const std::int64_t begin = end - m_window.count();
    const bool everySecond = int(metric) < kCallOutcomeCount || metric == CallMetric::Attempts ||
                             metric == CallMetric::FailedAttempts;
    points.reserve(qsizetype(m_window.count()));
    for (std::int64_t second = begin; second < end; ++second) {
        const SecondBucket* bucket = ring ? ring->find(second) : nullptr;
        const double x = millisecondsOf(second);
        if (everySecond) {
            double y = 0.0;
            if (bucket != nullptr) {
                if (metric == CallMetric::Attempts)
                    y = bucket->attempts;
                else if (metric == CallMetric::FailedAttempts)
                    y = bucket->failedAttempts;
                else
                    y = bucket->callsEnded[std::size_t(metric)];
            }
            points.append(QPointF(x, y));
            continue;
        }
        if (bucket == nullptr || bucket->attempts == 0)
            continue;
        if (metric == CallMetric::ErrorRatePercent) {
            points.append(QPointF(x, 100.0 * bucket->failedAttempts / bucket->attempts));
            continue;
        }
        if (!bucket->hasLatency())
            continue;
        const int which = int(metric) - int(CallMetric::LatencyP50Ms);
        points.append(QPointF(x, bucket->latencyPercentiles()[std::size_t(which)]));
    }
    return points;
}

CallTotals CallStats::totals(const QString& service, WallTime now, std::chrono::seconds span) const
{
    CallTotals totals;
    totals.span = std::clamp(span, std::chrono::seconds{1}, m_window);
    const BucketRing* ring = ringFor(service);
    if (ring == nullptr)
        return totals;
    const std::int64_t end = secondOf(now);
    LatencyHistogram latency;
    for (std::int64_t second = end - totals.span.count(); second < end; ++second) {
        const SecondBucket* bucket = ring->find(second);
        if (bucket == nullptr)
            continue;
        for (std::size_t i = 0; i < totals.callsEnded.size(); ++i)
            totals.callsEnded[i] += bucket->callsEnded[i];
        totals.attempts += bucket->attempts;
        totals.failedAttempts += bucket->failedAttempts;
        if (bucket->latency)
            latency.merge(*bucket->latency);
    }
    if (!latency.empty()) {
        totals.latencyP50Ms = latency.percentile(50.0);
        totals.latencyP95Ms = latency.percentile(95.0);
        totals.latencyP99Ms = latency.percentile(99.0);
    }
    return totals;
}

QStringList CallStats::services() const
{
    QStringList names;
    names.reserve(qsizetype(m_services.size()));
    for (const auto& known : m_services)
        names.append(known->name);
    return names;
}

} // namespace breakwater
