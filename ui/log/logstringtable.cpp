#include "logstringtable.h"

namespace breakwater {

LogStringTable::LogStringTable()
    : m_entries(std::make_shared<LogStrings>())
{}

std::optional<LogStringRef> LogStringTable::intern(const QString& text)
{
    if (text.isEmpty())
        return kEmptyLogString;
    const auto found = m_index.constFind(text);
    if (found != m_index.cend())
        return *found;
    if (text.size() > kMaxEntryLength || m_entries->size() >= kMaxEntries ||
        m_textUnits + text.size() > kMaxTextUnits)
        return std::nullopt;
    if (m_shared) {
        m_entries = std::make_shared<LogStrings>(*m_entries);
        m_shared = false;
    }
    // A string built piece by piece may have spare capacity: the table keeps only the text.
    const QString stored =
        text.capacity() > text.size() ? QString(text.constData(), text.size()) : text;
    m_entries->push_back(stored);
    m_textUnits += stored.size();
    const auto ref = LogStringRef(m_entries->size());
    m_index.insert(stored, ref);
    return ref;
}

std::shared_ptr<const LogStrings> LogStringTable::share()
{
    m_shared = true;
    return m_entries;
}

void LogStringTable::clear()
{
    // A snapshot may still hold the old entries: leave them to it.
    m_entries = std::make_shared<LogStrings>();
    m_index.clear();
    m_textUnits = 0;
    m_shared = false;
    ++m_generation;
}

} // namespace breakwater
