#include "alertfeedmodel.h"

#include <QColor>

#include <algorithm>

namespace breakwater {
namespace {

QString fingerprint(const QString& rule, const QString& service)
{
    return rule + QChar(0x1f) + service;
}

// What a failed delivery says, in the order a reader wants it.
QString deliveryDetail(const Event& event)
{
    if (!event.message.isEmpty())
        return event.message;
    if (!event.errorCode.isEmpty())
        return event.errorCode;
    return event.httpStatus != 0 ? QStringLiteral("HTTP ") + QString::number(event.httpStatus)
                                 : QString();
}

} // namespace

struct AlertFeedModel::Batch
{
    std::vector<AlertFeedEntry> fresh;  // new in this batch, oldest first
    std::vector<std::uint64_t> touched; // serials of shown entries changed in place
};

AlertFeedModel::AlertFeedModel(QObject* parent)
    : AlertFeedModel(kDefaultLimit, parent)
{}

AlertFeedModel::AlertFeedModel(std::size_t limit, QObject* parent)
    : QAbstractTableModel(parent)
    , m_limit(std::max<std::size_t>(limit, 1))
{}

AlertFeedModel::~AlertFeedModel() = default;

void AlertFeedModel::appendEvents(std::span<const Event> events)
{
    Batch batch;
    collect(events, batch);
    if (batch.fresh.empty() && batch.touched.empty())
        return;
    evictOldest(batch);
    if (!batch.fresh.empty()) {
        beginInsertRows({}, 0, int(batch.fresh.size()) - 1);
        std::move(batch.fresh.begin(), batch.fresh.end(), std::back_inserter(m_entries));
        endInsertRows();
    }
    announceUpdates(batch);
    Q_EMIT countsChanged(firingCount(), resolvedCount());
}

void AlertFeedModel::collect(std::span<const Event> events, Batch& batch)
{
    for (const Event& event : events) {
        switch (event.type) {
        case EventType::AlertRaised:
            raise(event, batch);
            break;
        case EventType::AlertResolved:
            resolve(event, batch);
            break;
        case EventType::AlertDelivered:
        case EventType::AlertDeliveryFailed:
            deliver(event, batch);
            break;
        default:
            break;
        }
    }
}

void AlertFeedModel::raise(const Event& event, Batch& batch)
{
    AlertFeedEntry entry;
    entry.time = event.time;
    entry.severity = alertSeverityOf(event.level);
    entry.service = event.service;
    entry.rule = event.reason;
    entry.message = event.message;
    const QString key = fingerprint(entry.rule, entry.service);
    m_firing[key].push_back(addEntry(std::move(entry), batch));
    ++m_firingCount;
}

void AlertFeedModel::resolve(const Event& event, Batch& batch)
{
    const auto firing = m_firing.find(fingerprint(event.reason, event.service));
    if (firing == m_firing.end()) {
        // Raised before the feed was watching (or already pushed out): still worth a line.
        AlertFeedEntry entry;
        entry.time = event.time;
        entry.raiseSeen = false;
        entry.severity = alertSeverityOf(event.level);
        entry.service = event.service;
        entry.rule = event.reason;
        entry.message = event.message;
        entry.resolvedAt = event.time;
        addEntry(std::move(entry), batch);
        return;
    }
    for (const std::uint64_t serial : *firing) {
        if (AlertFeedEntry* entry = entryBySerial(serial, batch)) {
            entry->resolvedAt = event.time;
            entry->resolution = event.message;
            --m_firingCount;
        }
    }
    m_firing.erase(firing);
}

void AlertFeedModel::deliver(const Event& event, Batch& batch)
{
    const auto newest = m_newestOfService.constFind(event.service);
    if (newest == m_newestOfService.constEnd())
        return;
    AlertFeedEntry* entry = entryBySerial(*newest, batch);
    if (!entry)
        return;
    const bool delivered = event.type == EventType::AlertDelivered;
    entry->setDelivery(
        AlertDelivery{event.reason.isEmpty() ? QStringLiteral("channel") : event.reason, delivered,
                      delivered ? QString() : deliveryDetail(event)});
}

std::uint64_t AlertFeedModel::addEntry(AlertFeedEntry entry, Batch& batch)
{
    const std::uint64_t serial = m_firstSerial + m_entries.size() + batch.fresh.size();
    m_newestOfService.insert(entry.service, serial);
    batch.fresh.push_back(std::move(entry));
    return serial;
}

AlertFeedEntry* AlertFeedModel::entryBySerial(std::uint64_t serial, Batch& batch)
{
    if (serial < m_firstSerial)
        return nullptr;
    const std::uint64_t offset = serial - m_firstSerial;
    if (offset < m_entries.size()) {
        batch.touched.push_back(serial);
        return &m_entries[std::size_t(offset)];
    }
    const std::uint64_t freshOffset = offset - m_entries.size();
    return freshOffset < batch.fresh.size() ? &batch.fresh[std::size_t(freshOffset)] : nullptr;
}

void AlertFeedModel::evictOldest(Batch& batch)
{
    const std::size_t total = m_entries.size() + batch.fresh.size();
    if (total <= m_limit)
        return;
    const std::size_t excess = total - m_limit;
    const std::size_t fromShown = std::min(excess, m_entries.size());
    if (fromShown > 0) {
        const int last = rowCount() - 1;
        beginRemoveRows({}, last - int(fromShown) + 1, last);
        for (std::size_t i = 0; i < fromShown; ++i)
            forget(m_firstSerial + i, m_entries[i]);
        m_entries.erase(m_entries.begin(), m_entries.begin() + std::ptrdiff_t(fromShown));
        m_firstSerial += fromShown;
        endRemoveRows();
    }
    // More new alerts than the feed holds: the oldest of them are never shown.
    const std::size_t fromFresh = excess - fromShown;
    for (std::size_t i = 0; i < fromFresh; ++i)
        forget(m_firstSerial + i, batch.fresh[i]);
    batch.fresh.erase(batch.fresh.begin(), batch.fresh.begin() + std::ptrdiff_t(fromFresh));
    m_firstSerial += fromFresh;
    m_evicted += excess;
}

void AlertFeedModel::forget(std::uint64_t serial, const AlertFeedEntry& entry)
{
    if (!entry.isResolved()) {
        --m_firingCount;
        const QString key = fingerprint(entry.rule, entry.service);
        if (const auto firing = m_firing.find(key); firing != m_firing.end()) {
            std::erase(*firing, serial);
            if (firing->empty())
                m_firing.erase(firing);
        }
    }
    if (const auto newest = m_newestOfService.find(entry.service);
        newest != m_newestOfService.end() && *newest == serial)
        m_newestOfService.erase(newest);
}

void AlertFeedModel::announceUpdates(const Batch& batch)
{
    int top = rowCount();
    int bottom = -1;
    for (const std::uint64_t serial : batch.touched) {
        if (serial < m_firstSerial)
            continue; // evicted in this batch
        const int row = rowOfSerial(serial);
        top = std::min(top, row);
        bottom = std::max(bottom, row);
    }
    if (bottom >= 0)
        Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
}

int AlertFeedModel::rowOfSerial(std::uint64_t serial) const noexcept
{
    return int(m_entries.size() - 1 - (serial - m_firstSerial));
}

const AlertFeedEntry& AlertFeedModel::entryAt(int row) const
{
    return m_entries[m_entries.size() - 1 - std::size_t(row)];
}

int AlertFeedModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AlertFeedModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertFeedModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertFeedEntry& entry = entryAt(index.row());
    const bool severityCell = index.column() == SeverityColumn;
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TimeColumn:
            return alertTimeText(entry.time);
        case SeverityColumn:
            return alertSeverityName(entry.severity);
        case ServiceColumn:
            return entry.service;
        case RuleColumn:
            return entry.rule;
        case SummaryColumn:
            return entry.message;
        case StatusColumn:
            return entry.statusText();
        case DeliveryColumn:
            return entry.deliveryText();
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return entry.detailText();
    case Qt::ForegroundRole:
        // Resolved rows step back; the status cell still says so in words.
        if (entry.isResolved())
            return QColor(128, 128, 128);
        return severityCell ? QVariant(alertSeverityColour(entry.severity)) : QVariant();
    case Qt::DecorationRole:
        return severityCell ? QVariant(alertSeverityColour(entry.severity)) : QVariant();
    case IsResolvedRole:
        return entry.isResolved();
    case SeverityRole:
        return int(entry.severity);
    default:
        return {};
    }
}

QVariant AlertFeedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TimeColumn:
        return QStringLiteral("Time");
    case SeverityColumn:
        return QStringLiteral("Severity");
    case ServiceColumn:
        return QStringLiteral("Service");
    case RuleColumn:
        return QStringLiteral("Rule");
    case SummaryColumn:
        return QStringLiteral("Summary");
    case StatusColumn:
        return QStringLiteral("Status");
    case DeliveryColumn:
        return QStringLiteral("Delivery");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace breakwater
