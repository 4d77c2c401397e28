#pragma once

#include "logrow.h"

#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace breakwater {

// The texts of the shared string table, by index: what a snapshot holds on to.
using LogStrings = std::vector<QString>;

// Interns the strings of log rows: services, reasons, error codes and the messages that repeat
// ("HTTP 503 Service Unavailable"), so a row keeps a 4-byte reference instead of a string. The
// table only grows (until clear()), so it is bounded: past kMaxEntries entries or kMaxTextUnits
// of text, or for text longer than kMaxEntryLength, intern() says no and the row keeps its text
// in its own chunk, which goes away with the row. A stream of unique messages therefore costs
// its rows, not an ever-growing table.
//
// GUI thread only. Snapshots get the entries by share(): the table copies them before it next
// adds one (copy on write), so a snapshot's entries never change under its reader.
class LogStringTable final
{
public:
    static constexpr std::uint32_t kMaxEntries = 32 * 1024;
    static constexpr qsizetype kMaxTextUnits = 2 * 1024 * 1024; // 4 MiB of UTF-16
    static constexpr qsizetype kMaxEntryLength = 512;

    LogStringTable();
    Q_DISABLE_COPY_MOVE(LogStringTable)

    // The reference of the text's entry, added if needed; nothing if the table has no room.
    std::optional<LogStringRef> intern(const QString& text);

    const LogStrings& entries() const noexcept { return *m_entries; }
    std::shared_ptr<const LogStrings> share();

    // Changes whenever clear() makes old references meaningless, so caches keyed by reference
    // know to start again.
    std::uint64_t generation() const noexcept { return m_generation; }
    void clear();

private:
    std::shared_ptr<LogStrings> m_entries;
    QHash<QString, LogStringRef> m_index;
    qsizetype m_textUnits = 0;
    std::uint64_t m_generation = 0;
    bool m_shared = false;
};

// The text of a table reference: index + 1.
inline const QString& tableString(const LogStrings& strings, LogStringRef ref)
{
    return strings[ref - 1];
}

} // namespace breakwater
