#include "timewindow.h"

#include <sched.h>
#include <thread>

namespace breakwater {

namespace {
constexpr int kSecondBits = 40;
constexpr std::uint64_t kSecondMask = (std::uint64_t{1} << kSecondBits) - 1;
constexpr std::uint64_t kRecycling = ~std::uint64_t{0};

constexpr std::uint64_t makeStamp(std::uint64_t epoch, std::uint64_t second) noexcept
{
    return (epoch << kSecondBits) | (second & kSecondMask);
}
} // namespace

TimeWindow::TimeWindow(int seconds)
    : m_index(static_cast<std::uint32_t>(seconds))
    , m_buckets(std::make_unique<Bucket[]>(static_cast<std::size_t>(seconds)))
{}

// The stripe of the CPU the caller runs on: two threads running at the same moment are on two
// CPUs, so (up to kStripes CPUs) they never share a line. A stripe fixed per thread would let two
// long-lived threads collide for good. glibc reads the CPU number from rseq memory: no system call.
int TimeWindow::currentStripe() noexcept
{
    const int cpu = sched_getcpu();
    return cpu < 0 ? 0 : cpu % kStripes;
}

std::uint64_t TimeWindow::secondOf(TimePoint now) noexcept
{
    // A division by a constant compiles to a multiplication.
    return static_cast<std::uint64_t>(now.time_since_epoch().count()) / 1'000'000'000U;
}

void TimeWindow::record(CallSample sample, TimePoint now) noexcept
{
    const std::uint64_t second = secondOf(now);
    const std::uint64_t stamp = makeStamp(m_epoch.load(std::memory_order_acquire), second);
    Bucket* bucket = claim(stamp, second);
    if (!bucket)
        return;
    Stripe& stripe = bucket->stripes[currentStripe()];
    const std::uint64_t delta = (std::uint64_t{1} << 32) | (sample.failed ? 1U : 0U);
    stripe.totals.fetch_add(delta, std::memory_order_relaxed);
    if (sample.slow)
        stripe.slow.fetch_add(1, std::memory_order_relaxed);
}

// Returns the bucket for `second`, recycling it if it still holds an older second or epoch, or
// nothing when it already holds a newer stamp: this caller stalled for a whole window, or a reset
// happened meanwhile, and its sample belongs to the past.
TimeWindow::Bucket* TimeWindow::claim(std::uint64_t stamp, std::uint64_t second) noexcept
{
    Bucket& bucket = m_buckets[m_index(static_cast<std::uint32_t>(second))];
    std::uint64_t seen = bucket.stamp.load(std::memory_order_acquire);
    int spins = 0;
    while (seen != stamp) {
        if (seen == kRecycling) {
            if (++spins > 64)
                std::this_thread::yield(); // the recycling thread was preempted
            seen = bucket.stamp.load(std::memory_order_acquire);
            continue;
        }
        if (seen > stamp)
            return nullptr;
        if (bucket.stamp.compare_exchange_weak(seen, kRecycling, std::memory_order_acquire)) {
            for (Stripe& stripe : bucket.stripes) {
                stripe.totals.store(0, std::memory_order_relaxed);
                stripe.slow.store(0, std::memory_order_relaxed);
            }
            bucket.stamp.store(stamp, std::memory_order_release);
            break;
        }
    }
    return &bucket;
}

WindowCounts TimeWindow::counts(TimePoint now) const noexcept
{
    const std::uint64_t epoch = m_epoch.load(std::memory_order_acquire);
    const std::uint64_t newest = secondOf(now);
    const std::uint64_t oldest = newest >= m_index.divisor() ? newest - m_index.divisor() + 1 : 0;
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t slow = 0;
    for (std::uint32_t i = 0; i < m_index.divisor(); ++i) {
        const Bucket& bucket = m_buckets[i];
        const std::uint64_t stamp = bucket.stamp.load(std::memory_order_acquire);
        const std::uint64_t second = stamp & kSecondMask;
        if (stamp == kRecycling || (stamp >> kSecondBits) != epoch || second < oldest ||
            second > newest)
            continue;
        for (const Stripe& stripe : bucket.stripes) {
            const std::uint64_t totals = stripe.totals.load(std::memory_order_relaxed);
            calls += totals >> 32;
            failures += totals & 0xFFFFFFFFU;
            slow += stripe.slow.load(std::memory_order_relaxed);
        }
    }
    const auto clampToInt = [](std::uint64_t v) {
        return static_cast<int>(std::min<std::uint64_t>(v, INT32_MAX));
    };
    return {clampToInt(calls), clampToInt(failures), clampToInt(slow)};
}

void TimeWindow::reset() noexcept
{
    m_epoch.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace breakwater
