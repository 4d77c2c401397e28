#include "logrowmatcher.h"

namespace breakwater {
namespace {

// "call-42", "CALL-42" or "42".
std::optional<std::uint64_t> callIdIn(QStringView text)
{
    if (text.startsWith(u"call-", Qt::CaseInsensitive))
        text = text.sliced(5);
    bool ok = false;
    const qulonglong id = text.toULongLong(&ok);
    if (!ok || id == 0 || !text.front().isDigit())
        return std::nullopt;
    return id;
}

} // namespace

LogRowMatcher::LogRowMatcher(LogFilterSettings settings)
    : m_settings(std::move(settings))
    , m_text(m_settings.text.trimmed())
{
    if (!m_text.isEmpty())
        m_callId = callIdIn(m_text);
}

bool LogRowMatcher::matches(const LogRowRef& ref)
{
    const LogRow& row = ref.row;
    if (row.level < m_settings.minimumLevel)
        return false;
    if (m_settings.eventTypes != 0 &&
        (m_settings.eventTypes & LogFilterSettings::typeBit(row.type)) == 0)
        return false;
    if (!m_settings.service.isEmpty() && !isService(ref, row.service))
        return false;
    if (m_text.isEmpty())
        return true;
    return (m_callId && row.callId == *m_callId) || hasText(ref, row.message) ||
           hasText(ref, row.reason) || hasText(ref, row.errorCode);
}

std::uint8_t LogRowMatcher::facts(const LogRowRef& row, LogStringRef ref)
{
    const std::size_t index = ref - 1;
    if (index >= m_entryFacts.size())
        m_entryFacts.resize(row.strings.size(), 0);
    std::uint8_t& facts = m_entryFacts[index];
    if (!(facts & kKnown)) {
        const QString& text = tableString(row.strings, ref);
        facts = kKnown;
        if (text == m_settings.service)
            facts |= kIsService;
        if (!m_text.isEmpty() && text.contains(m_text, Qt::CaseInsensitive))
            facts |= kHasText;
    }
    return facts;
}

bool LogRowMatcher::isService(const LogRowRef& row, LogStringRef ref)
{
    if (ref == kEmptyLogString)
        return false;
    if (ref & kArenaLogString)
        return row.text(ref) == m_settings.service;
    return facts(row, ref) & kIsService;
}

bool LogRowMatcher::hasText(const LogRowRef& row, LogStringRef ref)
{
    if (ref == kEmptyLogString)
        return false;
    if (ref & kArenaLogString)
        return row.contains(ref, m_text);
    return facts(row, ref) & kHasText;
}

} // namespace breakwater
