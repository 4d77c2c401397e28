#pragma once

#include "events/event.h"
#include "retriedcall.h"

#include <QAbstractTableModel>

#include <deque>
#include <span>
#include <unordered_map>
#include <vector>

namespace breakwater {

// The calls retrying now and the ones that recently needed a retry. A call enters at its first
// retry_scheduled: calls that succeed at the first attempt are the vast majority and would bury
// the few that matter.
//
// Rows: the calls still retrying first, newest first, then the finished ones, most recently
// finished first. Rows keep their place while their call is updated (only a call that ends moves,
// once), so an operator can read a table that changes ten times a second; the calls still in
// trouble stay on top. Both parts are bounded: the oldest are dropped and counted.
//
// appendEvents() applies a batch with at most one insert per part, one removal per contiguous run
// of rows and one dataChanged() for every row it updated.
class RetryTrackerModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RetryTrackerModel)

public:
    enum Column
    {
        CallColumn,
        ServiceColumn,
        StatusColumn,
        AttemptsColumn,
        ErrorsColumn,
        DelaysColumn,
        LastUpdateColumn,
        ColumnCount
    };

    enum Role
    {
        CallIdRole = Qt::UserRole + 1, // quint64
        IsActiveRole,                  // bool: still retrying
        EndingRole,                    // int(CallEnding), or an invalid QVariant while active
    };

    static constexpr std::size_t kDefaultActiveLimit = 1000;
    static constexpr std::size_t kDefaultFinishedLimit = 200;

    explicit RetryTrackerModel(QObject* parent = nullptr);
    RetryTrackerModel(std::size_t activeLimit, std::size_t finishedLimit,
                      QObject* parent = nullptr);
    ~RetryTrackerModel() override;

    // GUI thread. Copies what it keeps.
    void appendEvents(std::span<const Event> events);

    int activeCount() const noexcept { return int(m_active.size()); }
    int finishedCount() const noexcept { return int(m_finished.size()); }
    // Retrying calls no longer shown because more than the limit were retrying at once.
    std::uint64_t droppedActiveCount() const noexcept { return m_droppedActive; }
    // Finished calls pushed out by newer ones.
    std::uint64_t evictedFinishedCount() const noexcept { return m_evictedFinished; }

    const RetriedCall& callAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After every batch that changed something.
    void callsChanged();

private:
    struct Batch;

    void collect(std::span<const Event> events, Batch& batch);
    void removeFinishedFromActive(Batch& batch);
    void dropOldestActive(Batch& batch);
    void insertNewActive(Batch& batch);
    void moveToFinished(Batch& batch);
    void announceUpdates(const Batch& batch);
    void reindexActive();
    int activeRowOf(std::size_t activeIndex) const noexcept;

    const std::size_t m_activeLimit;
    const std::size_t m_finishedLimit;
    std::vector<RetriedCall> m_active;  // oldest first; shown newest first
    std::deque<RetriedCall> m_finished; // oldest first; shown newest first
    std::unordered_map<std::uint64_t, std::size_t> m_activeIndex; // call id -> m_active index
    std::uint64_t m_droppedActive = 0;
    std::uint64_t m_evictedFinished = 0;
};

} // namespace breakwater
