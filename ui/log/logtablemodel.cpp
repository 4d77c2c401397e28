#include "logtablemodel.h"

#include "logcells.h"

#include <algorithm>

namespace breakwater {

LogTableModel::LogTableModel(QObject* parent)
    : LogTableModel(kDefaultCapacity, parent)
{}

LogTableModel::LogTableModel(qsizetype capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_ring(std::max(capacity, qsizetype(1)))
{}

int LogTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_ring.size());
}

int LogTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return logCellData(m_ring.at(index.row()), Column(index.column()), role);
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    return logHeaderData(Column(section), role);
}

void LogTableModel::appendEvents(std::span<const Event> events)
{
    if (events.empty())
        return;
    const qsizetype capacity = m_ring.capacity();
    m_appended += events.size();
    // Of a batch larger than the ring, only the newest rows could stay.
    if (qsizetype(events.size()) > capacity) {
        m_evicted += events.size() - std::size_t(capacity);
        events = events.last(std::size_t(capacity));
    }
    const auto incoming = qsizetype(events.size());
    removeOldest(m_ring.size() + incoming - capacity);

    const auto first = int(m_ring.size());
    beginInsertRows({}, first, first + int(incoming) - 1);
    for (const Event& event : events) {
        m_ring.append(event);
        noteService(event);
    }
    endInsertRows();
    Q_EMIT totalsChanged();
}

void LogTableModel::removeOldest(qsizetype count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    m_ring.removeOldest(count);
    endRemoveRows();
    m_evicted += std::uint64_t(count);
}

void LogTableModel::noteService(const Event& event)
{
    if (event.service.isEmpty() || m_services.size() >= kMaxServicesListed ||
        m_knownServices.contains(event.service))
        return;
    m_knownServices.insert(event.service);
    m_services.append(event.service);
    Q_EMIT serviceSeen(event.service);
}

void LogTableModel::clear()
{
    beginResetModel();
    m_ring.clear();
    m_services.clear();
    m_knownServices.clear();
    endResetModel();
    Q_EMIT totalsChanged();
}

void LogTableModel::setCapacity(qsizetype capacity)
{
    capacity = std::max(capacity, qsizetype(1));
    removeOldest(m_ring.size() - capacity);
    m_ring.setCapacity(capacity);
    Q_EMIT totalsChanged();
}

Event LogTableModel::event(int row) const
{
    if (row < 0 || row >= m_ring.size())
        return {};
    return m_ring.at(row).event();
}

} // namespace breakwater
