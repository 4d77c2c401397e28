#pragma once

#include <cstdint>

namespace breakwater::bench {

// Heap allocations made by this process so far (every operator new counts).
std::uint64_t allocationCount() noexcept;

} // namespace breakwater::bench
