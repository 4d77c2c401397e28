#include "allocationcounter.h"

#include <atomic>
#include <cstdlib>
#include <new>

// Replacing the global allocation functions lets the benchmarks show that the hot paths allocate
// nothing per call.
namespace {
std::atomic<std::uint64_t> g_allocations{0};
}

std::uint64_t breakwater::bench::allocationCount() noexcept
{
    return g_allocations.load(std::memory_order_relaxed);
}

void* operator new(std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept
{
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}
