#pragma once

#include "logring.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QStringList>

#include <cstdint>
#include <span>

namespace breakwater {

// Every event of the stream as a table, over a bounded ring of compact rows (LogRing): the
// newest capacity() events, oldest first. A batch of events is one insertion for the views, and
// when the ring is full the rows it pushes out are one removal, whatever the batch size. Cell
// text is formatted in data(), only for the rows a view shows.
//
// GUI thread only.
class LogTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column : int
    {
        TimeColumn,
        LevelColumn,
        EventColumn,
        ServiceColumn,
        CallColumn,
        AttemptColumn,
        StateColumn,
        LatencyColumn,
        ErrorColumn,
        MessageColumn,
        ColumnCount
    };

    static constexpr qsizetype kDefaultCapacity = 1'000'000;
    // Services past this many are still shown in rows, just not offered by services().
    static constexpr qsizetype kMaxServicesListed = 256;

    explicit LogTableModel(QObject* parent = nullptr);
    explicit LogTableModel(qsizetype capacity, QObject* parent = nullptr);
    Q_DISABLE_COPY_MOVE(LogTableModel)

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Copies what it keeps: the span may die after the call.
    void appendEvents(std::span<const Event> events);
    void clear();

    // At least 1. Lowering it removes the oldest rows at once.
    qsizetype capacity() const noexcept { return m_ring.capacity(); }
    void setCapacity(qsizetype capacity);

    // The event of a row, whole, as it arrived: for details and export.
    Event event(int row) const;
    LogRowRef rowRef(int row) const { return m_ring.at(row); }
    // The rows now held, for a reader on another thread. See LogSnapshot.
    LogSnapshot snapshot() { return m_ring.snapshot(); }
    // Changes when clear() invalidates the string references of earlier rows.
    std::uint64_t stringsGeneration() const noexcept { return m_ring.strings().generation(); }

    qsizetype rowsHeld() const noexcept { return m_ring.size(); }
    std::uint64_t rowsAppended() const noexcept { return m_appended; }
    std::uint64_t rowsEvicted() const noexcept { return m_evicted; }
    // The services seen since the last clear(), in the order they first appeared.
    QStringList services() const { return m_services; }

Q_SIGNALS:
    void serviceSeen(const QString& service);
    // After every change of the counts above.
    void totalsChanged();

private:
    void removeOldest(qsizetype count);
    void noteService(const Event& event);

    LogRing m_ring;
    std::uint64_t m_appended = 0;
    std::uint64_t m_evicted = 0;
    QStringList m_services;
    QSet<QString> m_knownServices;
};

} // namespace breakwater
