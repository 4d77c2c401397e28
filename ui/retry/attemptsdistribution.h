#pragma once

#include "callending.h"
#include "events/event.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace breakwater {

// How many attempts the calls that ended took (1, 2, 3, 4, 5 or more) and how they ended, over a
// sliding window (the last five minutes by default) and since the start. Every call counts,
// including the first-try successes that the retry table leaves out: their terminal event carries
// the number of attempts, so no per-call state is needed. Calls skipped before any attempt (the
// breaker was open) have no bar; they are counted apart.
class AttemptsDistribution final
{
public:
    static constexpr int kBucketCount = 5; // "1", "2", "3", "4", "5+"
    using Counts = std::array<std::array<std::uint64_t, kCallEndingCount>, kBucketCount>;

    explicit AttemptsDistribution(std::chrono::seconds window = std::chrono::minutes(5));

    // Takes the terminal events of a batch.
    void appendEvents(std::span<const Event> events);
    void record(int attempts, CallEnding ending, WallTime at);

    // Calls that ended in (now - window, now].
    Counts countsWithin(WallTime now) const;
    const Counts& totals() const noexcept { return m_totals; }
    std::uint64_t endedWithoutAttemptTotal() const noexcept { return m_withoutAttempt; }
    std::chrono::seconds window() const noexcept { return m_window; }
    // The newest event time seen, for callers that follow the stream's clock.
    WallTime latestEventTime() const noexcept { return m_latest; }

    // Bucket 0 holds one attempt, bucket 4 five or more.
    static int bucketOf(int attempts) noexcept;
    static QString bucketLabel(int bucket);
    // Calls in the counts that took more than one attempt.
    static std::uint64_t retriedCalls(const Counts& counts) noexcept;
    static std::uint64_t callsIn(const Counts& counts, int bucket) noexcept;

private:
    // One second of ended calls. 32-bit counts: a second never holds four billion calls.
    struct Slot
    {
        std::int64_t second = 0;
        bool used = false;
        std::array<std::array<std::uint32_t, kCallEndingCount>, kBucketCount> counts{};
    };

    const std::chrono::seconds m_window;
    std::vector<Slot> m_slots; // a ring, one slot per second of the window
    Counts m_totals{};
    std::uint64_t m_withoutAttempt = 0;
    WallTime m_latest{};
};

} // namespace breakwater
