#pragma once

#include "fastmodulo.h"
#include "windowcounts.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace breakwater {

// The outcomes of the last N calls, lock-free. Each call claims the next slot of a ring and swaps
// its outcome in; the running totals change only when the outcome it displaces differs. Once the
// window is full of fast successes, another one changes nothing and costs a single load.
//
// reset() starts a new epoch instead of clearing N slots: slots tagged with an older epoch count
// as empty. The totals and the epoch share one word, and a slot's change is booked against the
// epoch the totals have when it is booked, so records racing a reset keep the totals exact.
class CountWindow final
{
public:
    explicit CountWindow(int size);
    CountWindow(const CountWindow&) = delete;
    CountWindow& operator=(const CountWindow&) = delete;

    // Records one call; returns the totals after it.
    WindowCounts record(CallSample sample) noexcept;
    WindowCounts counts() const noexcept;
    void reset() noexcept;
    int size() const noexcept { return static_cast<int>(m_index.divisor()); }

private:
    WindowCounts decode(std::uint64_t totals) const noexcept;

    const FastModulo m_index;
    const std::unique_ptr<std::atomic<std::uint32_t>[]> m_slots; // [epoch:16][outcome:16]
    const std::uint64_t m_fullOfSuccesses; // the totals of a window holding only fast successes
    // Separate cache lines: the slot counter is written by every call, the totals rarely.
    alignas(64) std::atomic<std::uint32_t> m_next{0};
    alignas(64) std::atomic<std::uint64_t> m_totals{
        0}; // [epoch:16][calls:16][failures:16][slow:16]
};

} // namespace breakwater
