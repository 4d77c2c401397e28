#pragma once

#include "logrowmatcher.h"

#include <QList>
#include <QPointer>
#include <QSortFilterProxyModel>

namespace breakwater {

class LogTableModel;

// The rows of a LogTableModel that pass a filter: minimum level, event types, service and free
// text (see LogFilterSettings). It reads the compact rows, not cell text, so filtering a million
// rows takes milliseconds. It never sorts: the log stays in the order things happened.
//
// A filter change rebuilds the mapping in one pass and tells views with one layout change. The
// base class's incremental path (invalidateFilter()) removes and inserts every run of rows that
// changed separately, and each such run costs a pass over all rows: on a million interleaved
// rows that is minutes, not milliseconds. New rows and evicted rows still go the incremental
// way, which is one run per batch.
class LogFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterProxy(QObject* parent = nullptr);
    Q_DISABLE_COPY_MOVE(LogFilterProxy)

    // Any model may be set; rows of a model that is not a LogTableModel all pass.
    void setSourceModel(QAbstractItemModel* model) override;
    LogTableModel* logModel() const { return m_log; }

    void setMinimumLevel(EventLevel level);
    // Empty: every type.
    void setEventTypes(const QList<EventType>& types);
    // Empty: every service.
    void setService(const QString& service);
    // Empty: no text filter.
    void setText(const QString& text);
    void setSettings(const LogFilterSettings& settings);

    EventLevel minimumLevel() const noexcept { return settings().minimumLevel; }
    QList<EventType> eventTypes() const;
    QString service() const { return settings().service; }
    QString text() const { return settings().text; }
    // A copy of these is what an export of "the current filter" applies.
    const LogFilterSettings& settings() const noexcept { return m_matcher.settings(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QPointer<LogTableModel> m_log;
    // filterAcceptsRow() is const; the matcher caches per string-table entry.
    mutable LogRowMatcher m_matcher;
    mutable std::uint64_t m_stringsGeneration = 0;
};

} // namespace breakwater
