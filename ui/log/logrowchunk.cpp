#include "logrowchunk.h"

#include <QStringEncoder>

#include <cstring>

namespace breakwater {

LogRowChunk::LogRowChunk(const LogRowChunk& other, qsizetype rowCount)
    : rows(other.rows.begin(), other.rows.begin() + rowCount)
    , arena(other.arena)
{}

LogStringRef LogRowChunk::storeText(QStringView text)
{
    if (text.size() > kMaxTextLength) {
        qsizetype cut = kMaxTextLength;
        if (text.at(cut - 1).isHighSurrogate()) // never keep half a surrogate pair
            --cut;
        text = text.first(cut);
    }
    const std::size_t offset = arena.size();
    arena.resize(offset + 2 + 3 * std::size_t(text.size()));
    QStringEncoder encoder(QStringEncoder::Utf8, QStringConverter::Flag::Stateless);
    char* const start = arena.data() + offset + 2;
    const char* const end = encoder.appendToBuffer(start, text);
    const auto length = std::uint16_t(end - start);
    std::memcpy(arena.data() + offset, &length, 2);
    arena.resize(std::size_t(end - arena.data()));
    return kArenaLogString | LogStringRef(offset);
}

QUtf8StringView LogRowChunk::arenaText(LogStringRef ref) const noexcept
{
    const std::size_t offset = ref & ~kArenaLogString;
    std::uint16_t length = 0;
    std::memcpy(&length, arena.data() + offset, 2);
    return QUtf8StringView(arena.data() + offset + 2, length);
}

void LogRowChunk::seal()
{
    arena.shrink_to_fit();
}

} // namespace breakwater
