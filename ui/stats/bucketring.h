#pragma once

#include "secondbucket.h"

#include <cstdint>
#include <vector>

namespace breakwater {

// One series' seconds over a rolling window: slot `second % size` holds that second. A slot is
// reset when a newer second claims it, so expiry costs nothing until the slot is needed again.
class BucketRing final
{
public:
    explicit BucketRing(int seconds);

    // The bucket to count `second` in, or nullptr when its slot already holds a newer second
    // (the event is older than the window).
    SecondBucket* bucketForWrite(std::int64_t second);
    // The bucket of `second` if anything was counted in it and it is still kept.
    const SecondBucket* find(std::int64_t second) const noexcept;

    int seconds() const noexcept { return int(m_slots.size()); }

private:
    std::size_t slotOf(std::int64_t second) const noexcept;

    std::vector<SecondBucket> m_slots;
};

} // namespace breakwater
