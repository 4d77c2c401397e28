#include "retrytrackermodel.h"

#include <algorithm>

namespace breakwater {
namespace {

bool concernsRetries(EventType type) noexcept
{
    switch (type) {
    case EventType::AttemptStarted:
    case EventType::AttemptSucceeded:
    case EventType::AttemptFailed:
    case EventType::RetryScheduled:
        return true;
    default:
        return isTerminal(type);
    }
}

} // namespace

struct RetryTrackerModel::Batch
{
    std::vector<RetriedCall> fresh; // entered in this batch and still retrying, in entry order
    std::unordered_map<std::uint64_t, std::size_t> freshIndex;
    std::vector<std::size_t> endedActive;                 // m_active indexes of calls that ended
    std::vector<std::uint64_t> endedOrder;                // every call that ended, in order
    std::unordered_map<std::uint64_t, RetriedCall> ended; // taken out of m_active or fresh
    std::vector<std::uint64_t> touched;                   // shown calls updated in place
};

RetryTrackerModel::RetryTrackerModel(QObject* parent)
    : RetryTrackerModel(kDefaultActiveLimit, kDefaultFinishedLimit, parent)
{}

RetryTrackerModel::RetryTrackerModel(std::size_t activeLimit, std::size_t finishedLimit,
                                     QObject* parent)
    : QAbstractTableModel(parent)
    , m_activeLimit(std::max<std::size_t>(activeLimit, 1))
    , m_finishedLimit(std::max<std::size_t>(finishedLimit, 1))
{}

RetryTrackerModel::~RetryTrackerModel() = default;

void RetryTrackerModel::appendEvents(std::span<const Event> events)
{
    Batch batch;
    collect(events, batch);
    if (batch.fresh.empty() && batch.endedOrder.empty() && batch.touched.empty())
        return;
    removeFinishedFromActive(batch);
    dropOldestActive(batch);
    insertNewActive(batch);
    reindexActive();
    moveToFinished(batch);
    announceUpdates(batch);
    Q_EMIT callsChanged();
}

void RetryTrackerModel::collect(std::span<const Event> events, Batch& batch)
{
    for (const Event& event : events) {
        if (event.callId == 0 || !concernsRetries(event.type))
            continue;
        if (const auto shown = m_activeIndex.find(event.callId); shown != m_activeIndex.end()) {
            RetriedCall& call = m_active[shown->second];
            if (call.isFinished())
                continue; // nothing follows a terminal event
            call.apply(event);
            if (call.isFinished()) {
                batch.endedActive.push_back(shown->second);
                batch.endedOrder.push_back(event.callId);
            } else {
                batch.touched.push_back(event.callId);
            }
        } else if (const auto fresh = batch.freshIndex.find(event.callId);
                   fresh != batch.freshIndex.end()) {
            RetriedCall& call = batch.fresh[fresh->second];
            if (call.isFinished())
                continue;
            call.apply(event);
            if (call.isFinished())
                batch.endedOrder.push_back(event.callId);
        } else if (event.type == EventType::RetryScheduled) {
            RetriedCall call;
            call.callId = event.callId;
            call.apply(event);
            batch.freshIndex.emplace(event.callId, batch.fresh.size());
            batch.fresh.push_back(std::move(call));
        }
    }
    // Calls that entered and ended within the batch go straight to the finished part.
    for (RetriedCall& call : batch.fresh) {
        if (call.isFinished())
            batch.ended.emplace(call.callId, std::move(call));
    }
    std::erase_if(batch.fresh, [](const RetriedCall& call) { return call.isFinished(); });
    batch.freshIndex.clear();
}

void RetryTrackerModel::removeFinishedFromActive(Batch& batch)
{
    std::vector<std::size_t>& indexes = batch.endedActive;
    std::sort(indexes.begin(), indexes.end(), std::greater<>());
    // Highest index first, one contiguous run at a time: erasing a run leaves the indexes of the
    // runs still to come untouched.
    for (std::size_t i = 0; i < indexes.size();) {
        const std::size_t high = indexes[i];
        std::size_t low = high;
        std::size_t next = i + 1;
        while (next < indexes.size() && indexes[next] + 1 == low) {
            low = indexes[next];
            ++next;
        }
        beginRemoveRows({}, activeRowOf(high), activeRowOf(low));
        for (std::size_t k = low; k <= high; ++k)
            batch.ended.emplace(m_active[k].callId, std::move(m_active[k]));
        m_active.erase(m_active.begin() + std::ptrdiff_t(low),
                       m_active.begin() + std::ptrdiff_t(high) + 1);
        endRemoveRows();
        i = next;
    }
}

void RetryTrackerModel::dropOldestActive(Batch& batch)
{
    const std::size_t total = m_active.size() + batch.fresh.size();
    if (total <= m_activeLimit)
        return;
    const std::size_t excess = total - m_activeLimit;
    const std::size_t fromShown = std::min(excess, m_active.size());
    if (fromShown > 0) {
        beginRemoveRows({}, activeRowOf(fromShown - 1), activeRowOf(0));
        m_active.erase(m_active.begin(), m_active.begin() + std::ptrdiff_t(fromShown));
        endRemoveRows();
    }
    const std::size_t fromFresh = excess - fromShown;
    batch.fresh.erase(batch.fresh.begin(), batch.fresh.begin() + std::ptrdiff_t(fromFresh));
    m_droppedActive += excess;
}

void RetryTrackerModel::insertNewActive(Batch& batch)
{
    if (batch.fresh.empty())
        return;
    // Appended oldest first, shown newest first: the batch lands on top as one block.
    beginInsertRows({}, 0, int(batch.fresh.size()) - 1);
    std::move(batch.fresh.begin(), batch.fresh.end(), std::back_inserter(m_active));
    endInsertRows();
    batch.fresh.clear();
}

void RetryTrackerModel::moveToFinished(Batch& batch)
{
    std::vector<RetriedCall> incoming;
    incoming.reserve(batch.endedOrder.size());
    for (const std::uint64_t id : batch.endedOrder) {
        if (auto it = batch.ended.find(id); it != batch.ended.end())
            incoming.push_back(std::move(it->second));
    }
    if (incoming.empty())
        return;
    if (incoming.size() > m_finishedLimit) {
        const std::size_t surplus = incoming.size() - m_finishedLimit;
        incoming.erase(incoming.begin(), incoming.begin() + std::ptrdiff_t(surplus));
        m_evictedFinished += surplus;
    }
    const int first = activeCount();
    const std::size_t total = m_finished.size() + incoming.size();
    if (total > m_finishedLimit) {
        const std::size_t evict = std::min(total - m_finishedLimit, m_finished.size());
        const int last = first + finishedCount() - 1;
        beginRemoveRows({}, last - int(evict) + 1, last);
        m_finished.erase(m_finished.begin(), m_finished.begin() + std::ptrdiff_t(evict));
        endRemoveRows();
        m_evictedFinished += evict;
    }
    beginInsertRows({}, first, first + int(incoming.size()) - 1);
    std::move(incoming.begin(), incoming.end(), std::back_inserter(m_finished));
    endInsertRows();
}

void RetryTrackerModel::announceUpdates(const Batch& batch)
{
    int top = rowCount();
    int bottom = -1;
    for (const std::uint64_t id : batch.touched) {
        const auto it = m_activeIndex.find(id);
        if (it == m_activeIndex.end())
            continue; // ended or dropped since
        const int row = activeRowOf(it->second);
        top = std::min(top, row);
        bottom = std::max(bottom, row);
    }
    if (bottom >= 0)
        Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
}

void RetryTrackerModel::reindexActive()
{
    m_activeIndex.clear();
    for (std::size_t i = 0; i < m_active.size(); ++i)
        m_activeIndex.emplace(m_active[i].callId, i);
}

int RetryTrackerModel::activeRowOf(std::size_t activeIndex) const noexcept
{
    return int(m_active.size() - 1 - activeIndex);
}

const RetriedCall& RetryTrackerModel::callAt(int row) const
{
    const auto r = std::size_t(row);
    if (r < m_active.size())
        return m_active[m_active.size() - 1 - r];
    return m_finished[m_finished.size() - 1 - (r - m_active.size())];
}

int RetryTrackerModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : activeCount() + finishedCount();
}

int RetryTrackerModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RetryTrackerModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RetriedCall& call = callAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case CallColumn:
            return callIdText(call.callId);
        case ServiceColumn:
            return call.service;
        case StatusColumn:
            return call.statusText();
        case AttemptsColumn:
            return call.attempts;
        case ErrorsColumn:
            return call.errorsText();
        case DelaysColumn:
            return call.delaysText();
        case LastUpdateColumn:
            return call.lastUpdateText();
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ErrorsColumn)
            return call.errorsDetail();
        return index.column() == StatusColumn ? call.statusText() : QVariant();
    case Qt::ForegroundRole:
        return index.column() == StatusColumn ? call.statusColour() : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == AttemptsColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                : QVariant();
    case CallIdRole:
        return QVariant::fromValue<quint64>(call.callId);
    case IsActiveRole:
        return !call.isFinished();
    case EndingRole:
        return call.ending ? QVariant(int(*call.ending)) : QVariant();
    default:
        return {};
    }
}

QVariant RetryTrackerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case CallColumn:
        return QStringLiteral("Call");
    case ServiceColumn:
        return QStringLiteral("Service");
    case StatusColumn:
        return QStringLiteral("Status");
    case AttemptsColumn:
        return QStringLiteral("Attempts");
    case ErrorsColumn:
        return QStringLiteral("Errors");
    case DelaysColumn:
        return QStringLiteral("Scheduled delays");
    case LastUpdateColumn:
        return QStringLiteral("Last update");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace breakwater
