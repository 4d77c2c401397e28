#pragma once

#include "alertfeedentry.h"
#include "events/event.h"

#include <QAbstractTableModel>
#include <QHash>

#include <deque>
#include <span>
#include <vector>

namespace breakwater {

// The alert feed, newest first: every alert_raised is a row; alert_resolved marks the firing
// alert of the same rule and service resolved; alert_delivered / alert_delivery_failed (channel
// in `reason`) attach to the newest alert of their service. Bounded: the oldest rows go first.
//
// A batch costs at most one insert (at the top), one removal (at the bottom) and one dataChanged().
class AlertFeedModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertFeedModel)

public:
    enum Column
    {
        TimeColumn,
        SeverityColumn,
        ServiceColumn,
        RuleColumn,
        SummaryColumn,
        StatusColumn,
        DeliveryColumn,
        ColumnCount
    };

    enum Role
    {
        IsResolvedRole = Qt::UserRole + 1, // bool: views grey or strike resolved rows
        SeverityRole,                      // int(AlertSeverity)
    };

    static constexpr std::size_t kDefaultLimit = 10000;

    explicit AlertFeedModel(QObject* parent = nullptr);
    explicit AlertFeedModel(std::size_t limit, QObject* parent = nullptr);
    ~AlertFeedModel() override;

    // GUI thread. Copies what it keeps.
    void appendEvents(std::span<const Event> events);

    int firingCount() const noexcept { return m_firingCount; }
    int resolvedCount() const noexcept { return int(m_entries.size()) - m_firingCount; }
    std::uint64_t evictedCount() const noexcept { return m_evicted; }
    const AlertFeedEntry& entryAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void countsChanged(int firing, int resolved);

private:
    struct Batch;

    void collect(std::span<const Event> events, Batch& batch);
    void raise(const Event& event, Batch& batch);
    void resolve(const Event& event, Batch& batch);
    void deliver(const Event& event, Batch& batch);
    std::uint64_t addEntry(AlertFeedEntry entry, Batch& batch); // returns its serial
    AlertFeedEntry* entryBySerial(std::uint64_t serial, Batch& batch);
    void evictOldest(Batch& batch);
    void forget(std::uint64_t serial, const AlertFeedEntry& entry);
    void announceUpdates(const Batch& batch);
    int rowOfSerial(std::uint64_t serial) const noexcept;

    const std::size_t m_limit;
    std::deque<AlertFeedEntry> m_entries; // oldest first; shown newest first
    std::uint64_t m_firstSerial = 0;      // serial of m_entries.front()
    // "rule\x1fservice" -> serials of its firing alerts, oldest first.
    QHash<QString, std::vector<std::uint64_t>> m_firing;
    QHash<QString, std::uint64_t> m_newestOfService;
    int m_firingCount = 0;
    std::uint64_t m_evicted = 0;
};

} // namespace breakwater
