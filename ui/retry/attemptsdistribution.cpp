#include "attemptsdistribution.h"

#include <algorithm>

namespace breakwater {
namespace {

std::int64_t secondOf(WallTime time) noexcept
{
    return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

} // namespace

AttemptsDistribution::AttemptsDistribution(std::chrono::seconds window)
    : m_window(std::max(window, std::chrono::seconds(1)))
    , m_slots(std::size_t(m_window.count()))
{}

void AttemptsDistribution::appendEvents(std::span<const Event> events)
{
    for (const Event& event : events) {
        const std::optional<CallEnding> ending = callEndingOf(event.type);
        if (!ending)
            continue;
        m_latest = std::max(m_latest, event.time);
        if (event.attempt < 1) {
            ++m_withoutAttempt;
            continue;
        }
        record(event.attempt, *ending, event.time);
    }
}

void AttemptsDistribution::record(int attempts, CallEnding ending, WallTime at)
{
    const int bucket = bucketOf(attempts);
    const auto kind = std::size_t(ending);
    ++m_totals[std::size_t(bucket)][kind];

    const std::int64_t second = secondOf(at);
    const auto size = std::int64_t(m_slots.size());
    Slot& slot = m_slots[std::size_t(((second % size) + size) % size)];
    if (!slot.used || slot.second < second) {
        slot = Slot{second, true, {}};
    } else if (slot.second > second) {
        return; // older than the window the ring already holds
    }
    ++slot.counts[std::size_t(bucket)][kind];
}

AttemptsDistribution::Counts AttemptsDistribution::countsWithin(WallTime now) const
{
    Counts counts{};
    const std::int64_t newest = secondOf(now);
    const std::int64_t oldest = newest - m_window.count() + 1;
    for (const Slot& slot : m_slots) {
        if (!slot.used || slot.second < oldest || slot.second > newest)
            continue;
        for (std::size_t b = 0; b < counts.size(); ++b) {
            for (std::size_t k = 0; k < counts[b].size(); ++k)
                counts[b][k] += slot.counts[b][k];
        }
    }
    return counts;
}

int AttemptsDistribution::bucketOf(int attempts) noexcept
{
    return std::clamp(attempts, 1, kBucketCount) - 1;
}

QString AttemptsDistribution::bucketLabel(int bucket)
{
    const QString number = QString::number(bucket + 1);
    return bucket == kBucketCount - 1 ? number + QLatin1Char('+') : number;
}

std::uint64_t AttemptsDistribution::retriedCalls(const Counts& counts) noexcept
{
    std::uint64_t total = 0;
    for (int bucket = 1; bucket < kBucketCount; ++bucket)
        total += callsIn(counts, bucket);
    return total;
}

std::uint64_t AttemptsDistribution::callsIn(const Counts& counts, int bucket) noexcept
{
    std::uint64_t total = 0;
    for (const std::uint64_t n : counts[std::size_t(bucket)])
        total += n;
    return total;
}

} // namespace breakwater
