#pragma once

#include "logfiltersettings.h"
#include "logrowref.h"

#include <optional>
#include <vector>

namespace breakwater {

// Decides whether a row passes a filter by reading the compact row: the level, type and call id
// are numbers, and what the service and the text filter say about a string-table entry is
// worked out once per entry and remembered, so a row costs a few comparisons and lookups. Only
// text kept outside the table (rare) is decoded per row.
//
// Not thread-safe (it caches): one matcher per thread. The cache follows one string table; call
// forgetStrings() when rows start referring to another.
class LogRowMatcher final
{
public:
    explicit LogRowMatcher(LogFilterSettings settings = {});

    const LogFilterSettings& settings() const noexcept { return m_settings; }
    bool matches(const LogRowRef& row);
    void forgetStrings() noexcept { m_entryFacts.clear(); }

private:
    static constexpr std::uint8_t kKnown = 0x1;
    static constexpr std::uint8_t kIsService = 0x2;
    static constexpr std::uint8_t kHasText = 0x4;

    std::uint8_t facts(const LogRowRef& row, LogStringRef ref);
    bool isService(const LogRowRef& row, LogStringRef ref);
    bool hasText(const LogRowRef& row, LogStringRef ref);

    LogFilterSettings m_settings;
    QString m_text;                         // trimmed
    std::optional<std::uint64_t> m_callId;  // when the text reads as a call id
    std::vector<std::uint8_t> m_entryFacts; // by string-table index
};

} // namespace breakwater
