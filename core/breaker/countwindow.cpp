#include "countwindow.h"

namespace breakwater {

namespace {
constexpr std::uint32_t kPresent = 1;
constexpr std::uint32_t kFailed = 2;
constexpr std::uint32_t kSlow = 4;
constexpr std::uint64_t kField = 0xFFFF;
constexpr std::uint64_t kCountsMask = (std::uint64_t{1} << 48) - 1;

constexpr std::uint32_t outcomeBits(CallSample sample) noexcept
{
    return kPresent | (sample.failed ? kFailed : 0) | (sample.slow ? kSlow : 0);
}

constexpr std::uint64_t epochOf(std::uint64_t totals) noexcept
{
    return totals >> 48;
}

// Adds `delta` to the 16-bit field at `shift`, wrapping within the field. A field may dip below
// zero for a moment when two records of the same slot land out of order; wrapping keeps the
// neighbouring fields intact, and the final sum is exact once both have landed.
constexpr std::uint64_t addToField(std::uint64_t totals, int shift, int delta) noexcept
{
    const std::uint64_t field = ((totals >> shift) + static_cast<std::uint64_t>(delta)) & kField;
    return (totals & ~(kField << shift)) | (field << shift);
}

constexpr int bit(std::uint32_t bits, std::uint32_t flag) noexcept
{
    return (bits & flag) ? 1 : 0;
}
} // namespace

CountWindow::CountWindow(int size)
    : m_index(static_cast<std::uint32_t>(size))
    , m_slots(std::make_unique<std::atomic<std::uint32_t>[]>(static_cast<std::size_t>(size)))
    , m_fullOfSuccesses(static_cast<std::uint64_t>(size) << 32)
{}

WindowCounts CountWindow::record(CallSample sample) noexcept
{
    std::uint64_t totals = m_totals.load(std::memory_order_acquire);
    const std::uint64_t epoch = epochOf(totals);
    const std::uint32_t bits = outcomeBits(sample);
    // A full window of nothing but fast successes stays exactly that after one more: which slot
    // the new success would displace cannot matter when every slot holds the same outcome. The
    // healthy steady state therefore costs one load and claims no slot.
    if (bits == kPresent && (totals & kCountsMask) == m_fullOfSuccesses)
        return decode(totals);
    const std::uint32_t tagged = static_cast<std::uint32_t>(epoch << 16) | bits;
    std::atomic<std::uint32_t>& slot =
        m_slots[m_index(m_next.fetch_add(1, std::memory_order_relaxed))];
    // The steady state of a healthy service: a success displacing a success of the same epoch.
    // Leaving the slot alone is the same as writing it, and saves a locked instruction; a racing
    // writer of the same slot still sees, and accounts for, the value that is really there.
    if (slot.load(std::memory_order_relaxed) == tagged)
        return decode(totals);
    const std::uint32_t old = slot.exchange(tagged, std::memory_order_acq_rel);

    // The slot went from `old` to `tagged`. Each side counts in the totals only if it carries the
    // totals' epoch when they are corrected. So a record that began before a reset adds nothing
    // to the new epoch, and if it displaced a sample of the new epoch, that sample leaves the
    // totals with it instead of staying there with no slot to hold it.
    for (;;) {
        const std::uint64_t current = epochOf(totals);
        const std::uint32_t added = (tagged >> 16) == current ? bits : 0;
        const std::uint32_t removed = (old >> 16) == current ? (old & kField) : 0;
        if (added == removed)
            return decode(totals);
        std::uint64_t next = addToField(totals, 32, bit(added, kPresent) - bit(removed, kPresent));
        next = addToField(next, 16, bit(added, kFailed) - bit(removed, kFailed));
        next = addToField(next, 0, bit(added, kSlow) - bit(removed, kSlow));
        if (m_totals.compare_exchange_weak(totals, next, std::memory_order_acq_rel))
            return decode(next);
    }
}

WindowCounts CountWindow::counts() const noexcept
{
    return decode(m_totals.load(std::memory_order_acquire));
}

void CountWindow::reset() noexcept
{
    std::uint64_t totals = m_totals.load(std::memory_order_relaxed);
    while (!m_totals.compare_exchange_weak(totals, ((epochOf(totals) + 1) & kField) << 48,
                                           std::memory_order_acq_rel)) {
    }
}

WindowCounts CountWindow::decode(std::uint64_t totals) const noexcept
{
    // A field caught mid-correction (see addToField) reads as out of range; show it as 0.
    const auto field = [this](std::uint64_t value) {
        const int count = static_cast<int>(value & kField);
        return count <= size() ? count : 0;
    };
    return {field(totals >> 32), field(totals >> 16), field(totals)};
}

} // namespace breakwater
