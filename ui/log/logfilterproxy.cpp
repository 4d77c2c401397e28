#include "logfilterproxy.h"

#include "logtablemodel.h"

namespace breakwater {

LogFilterProxy::LogFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{}

void LogFilterProxy::setSourceModel(QAbstractItemModel* model)
{
    LogTableModel* log = qobject_cast<LogTableModel*>(model);
    m_log = log;
    m_matcher.forgetStrings();
    if (log)
        m_stringsGeneration = log->stringsGeneration();
    QSortFilterProxyModel::setSourceModel(model);
}

void LogFilterProxy::setSettings(const LogFilterSettings& settings)
{
    if (settings == m_matcher.settings())
        return;
    m_matcher = LogRowMatcher(settings);
    invalidate();
}

void LogFilterProxy::setMinimumLevel(EventLevel level)
{
    LogFilterSettings changed = settings();
    changed.minimumLevel = level;
    setSettings(changed);
}

void LogFilterProxy::setEventTypes(const QList<EventType>& types)
{
    LogFilterSettings changed = settings();
    changed.eventTypes = 0;
    for (const EventType type : types)
        changed.eventTypes |= LogFilterSettings::typeBit(type);
    setSettings(changed);
}

QList<EventType> LogFilterProxy::eventTypes() const
{
    QList<EventType> types;
    for (int i = 0; i < kEventTypeCount; ++i) {
        if (settings().eventTypes & LogFilterSettings::typeBit(EventType(i)))
            types.append(EventType(i));
    }
    return types;
}

void LogFilterProxy::setService(const QString& service)
{
    LogFilterSettings changed = settings();
    changed.service = service;
    setSettings(changed);
}

void LogFilterProxy::setText(const QString& text)
{
    LogFilterSettings changed = settings();
    changed.text = text;
    setSettings(changed);
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    // One read of the guarded pointer: GCC cannot see that QPointer stays set between reads.
    const LogTableModel* log = m_log.data();
    if (!log || sourceParent.isValid())
        return true;
    if (const std::uint64_t generation = log->stringsGeneration();
        generation != m_stringsGeneration) {
        m_matcher.forgetStrings();
        m_stringsGeneration = generation;
    }
    return m_matcher.matches(log->rowRef(sourceRow));
}

} // namespace breakwater
