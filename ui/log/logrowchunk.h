#pragma once

#include "logrow.h"

#include <QString>
#include <QUtf8StringView>

#include <string>
#include <vector>

namespace breakwater {

// A fixed block of consecutive log rows and the text of theirs that the string table had no room
// for, as UTF-8 (half the size of QString's UTF-16 for the mostly ASCII text of a log). Once full
// it never changes again, so snapshots share it across threads instead of copying its rows, and
// it is freed when the ring has dropped its rows and no snapshot holds it.
struct LogRowChunk
{
    static constexpr qsizetype kRows = 4096;
    // Text beyond this many UTF-16 units is cut (app.log keeps all of it): a row's memory stays
    // bounded whatever a server puts in an error message, and an arena entry's UTF-8 length fits
    // its two-byte prefix.
    static constexpr qsizetype kMaxTextLength = 16 * 1024;

    LogRowChunk() { rows.reserve(kRows); }
    LogRowChunk(const LogRowChunk& other, qsizetype rowCount);

    bool isFull() const noexcept { return qsizetype(rows.size()) == kRows; }

    // Keeps the text in the arena and returns its reference.
    LogStringRef storeText(QStringView text);
    QUtf8StringView arenaText(LogStringRef ref) const noexcept;
    // Gives back the arena's spare capacity once no more text will come.
    void seal();

    std::vector<LogRow> rows;
    std::string arena; // per entry: a two-byte length, then that many bytes of UTF-8
};

} // namespace breakwater
