#include "bucketring.h"

#include <algorithm>

namespace breakwater {

BucketRing::BucketRing(int seconds)
    : m_slots(std::size_t(std::max(1, seconds)))
{}

std::size_t BucketRing::slotOf(std::int64_t second) const noexcept
{
    const auto size = std::int64_t(m_slots.size());
    return std::size_t(((second % size) + size) % size); // seconds before 1970 stay in range
}

SecondBucket* BucketRing::bucketForWrite(std::int64_t second)
{
    SecondBucket& bucket = m_slots[slotOf(second)];
    if (bucket.second == second)
        return &bucket;
    if (bucket.second != SecondBucket::kUnused && bucket.second > second)
        return nullptr;
    bucket.reset(second);
    return &bucket;
}

const SecondBucket* BucketRing::find(std::int64_t second) const noexcept
{
    const SecondBucket& bucket = m_slots[slotOf(second)];
    return bucket.second == second ? &bucket : nullptr;
}

} // namespace breakwater
