#pragma once

#include <cstdint>

namespace breakwater {

__extension__ using Uint128 = unsigned __int128; // GCC and Clang both have it; ISO C++ does not

// n % divisor for a divisor fixed at run time, by Lemire's multiply-and-shift method: a couple of
// multiplications instead of a division, which on the breaker's hot path would cost more than
// everything else together.
class FastModulo final
{
public:
    explicit constexpr FastModulo(std::uint32_t divisor) noexcept
        : m_divisor(divisor)
        , m_magic(UINT64_C(0xFFFFFFFFFFFFFFFF) / divisor + 1)
    {}

    constexpr std::uint32_t operator()(std::uint32_t n) const noexcept
    {
        const std::uint64_t low = m_magic * n;
        return static_cast<std::uint32_t>((static_cast<Uint128>(low) * m_divisor) >> 64);
    }

    constexpr std::uint32_t divisor() const noexcept { return m_divisor; }

private:
    std::uint32_t m_divisor;
    std::uint64_t m_magic;
};

} // namespace breakwater
