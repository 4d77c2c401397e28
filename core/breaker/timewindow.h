#pragma once

#include "clock/clock.h"
#include "fastmodulo.h"
#include "windowcounts.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace breakwater {

// The calls of the last N seconds, in N one-second buckets, lock-free. A call adds to its
// second's bucket with one atomic add, on its CPU's stripe of the bucket. The first call of a
// new second finds the bucket still holding the second N seconds earlier and recycles it: it marks
// the bucket as being recycled, zeroes it and stamps the new second; calls that meet the mark wait
// those few instructions.
//
// reset() bumps an epoch that is part of every bucket's stamp, so old buckets read as empty
// without touching them.
class TimeWindow final
{
public:
    explicit TimeWindow(int seconds);
    TimeWindow(const TimeWindow&) = delete;
    TimeWindow& operator=(const TimeWindow&) = delete;

    void record(CallSample sample, TimePoint now) noexcept;
    WindowCounts counts(TimePoint now) const noexcept;
    void reset() noexcept;
    int seconds() const noexcept { return static_cast<int>(m_index.divisor()); }

private:
    // Callers add to their CPU's stripe of a bucket, each on its own cache line, so two callers
    // recording in the same second do not fight over one line; a read sums the stripes.
    static constexpr int kStripes = 4;
    struct alignas(64) Stripe
    {
        std::atomic<std::uint64_t> totals{0}; // [calls:32][failures:32]
        std::atomic<std::uint32_t> slow{0};
    };
    struct alignas(64) Bucket
    {
        std::atomic<std::uint64_t> stamp{0}; // [epoch:24][second:40]
        Stripe stripes[kStripes];
    };

    static std::uint64_t secondOf(TimePoint now) noexcept;
    static int currentStripe() noexcept;
    Bucket* claim(std::uint64_t stamp, std::uint64_t second) noexcept;

    const FastModulo m_index;
    const std::unique_ptr<Bucket[]> m_buckets;
    std::atomic<std::uint64_t> m_epoch{1}; // stamp 0 (epoch 0) means "never used"
};

} // namespace breakwater
