#include "logcells.h"

#include "telemetry/isotimestampwriter.h"
#include "telemetry/jsonencoding.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>

#include <array>
#include <cmath>

namespace breakwater {
namespace {

using Column = LogTableModel::Column;

template <typename Enum> QString optionalName(std::uint8_t value, QString (*name)(Enum))
{
    return value == LogRow::kAbsent ? QString() : name(Enum(value));
}

QString timeText(const LogRow& row)
{
    const auto ms =
        std::chrono::floor<std::chrono::milliseconds>(WallTime(WallTime::duration(row.time)))
            .time_since_epoch()
            .count();
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString isoTime(const LogRow& row)
{
    char text[IsoTimestampWriter::kLength];
    IsoTimestampWriter writer;
    writer.write(text, WallTime(WallTime::duration(row.time)));
    return QString::fromLatin1(text, IsoTimestampWriter::kLength);
}

QString stateText(const LogRow& row)
{
    if (row.fromState != LogRow::kAbsent || row.toState != LogRow::kAbsent) {
        return optionalName(row.fromState, &breakerStateName) + QStringLiteral(" \u2192 ") +
               optionalName(row.toState, &breakerStateName);
    }
    return optionalName(row.state, &breakerStateName);
}

QString latencyText(const LogRow& row)
{
    if ((row.flags & LogRow::kHasLatency) && std::isfinite(row.latencyMs))
        return logMillisecondsText(row.latencyMs);
    if (row.flags & LogRow::kHasDelay) // retry_scheduled: when the next attempt goes
        return QStringLiteral("in ") + QString::number(row.delayMs) + QStringLiteral(" ms");
    return {};
}

QString errorText(const LogRowRef& ref)
{
    QStringList parts;
    if (ref.row.errorKind != LogRow::kAbsent)
        parts.append(errorKindName(ErrorKind(ref.row.errorKind)));
    if (ref.row.httpStatus != 0)
        parts.append(QString::number(ref.row.httpStatus));
    if (ref.row.errorCode != kEmptyLogString)
        parts.append(ref.text(ref.row.errorCode));
    return parts.join(u' ');
}

// The reason says why in a word ("breaker_open"), the message in a sentence: both fit one cell.
QString messageText(const LogRowRef& ref)
{
    const QString reason = ref.text(ref.row.reason);
    const QString message = ref.text(ref.row.message);
    if (reason.isEmpty() || message.isEmpty())
        return reason.isEmpty() ? message : reason;
    return reason + QStringLiteral(": ") + message;
}

QVariant displayText(const LogRowRef& ref, Column column)
{
    const LogRow& row = ref.row;
    switch (column) {
    case Column::TimeColumn:
        return timeText(row);
    case Column::LevelColumn:
        return eventLevelName(row.level);
    case Column::EventColumn:
        return eventTypeName(row.type);
    case Column::ServiceColumn:
        return ref.text(row.service);
    case Column::CallColumn:
        return callIdText(row.callId);
    case Column::AttemptColumn:
        return row.attempt != 0 ? QVariant(row.attempt) : QVariant();
    case Column::StateColumn:
        return stateText(row);
    case Column::LatencyColumn:
        return latencyText(row);
    case Column::ErrorColumn:
        return errorText(ref);
    case Column::MessageColumn:
        return messageText(ref);
    case Column::ColumnCount:
        break;
    }
    return {};
}

// Readable on light and dark palettes alike; the level is always written too.
QVariant levelColour(EventLevel level)
{
    switch (level) {
    case EventLevel::Debug:
        return QBrush(QColor(128, 128, 128));
    case EventLevel::Warning:
        return QBrush(QColor(214, 137, 16));
    case EventLevel::Error:
    case EventLevel::Critical:
        return QBrush(QColor(220, 60, 60));
    case EventLevel::Info:
        break;
    }
    return {};
}

} // namespace

QString logMillisecondsText(double ms)
{
    char text[json::kMaxMillisecondsBytes];
    const char* end = json::writeMilliseconds(text, ms);
    return QString::fromLatin1(text, end - text) + QStringLiteral(" ms");
}

QVariant logCellData(const LogRowRef& ref, Column column, int role)
{
    switch (role) {
    case Qt::DisplayRole:
        return displayText(ref, column);
    case Qt::ToolTipRole:
        if (column == Column::TimeColumn)
            return isoTime(ref.row);
        if (column == Column::MessageColumn || column == Column::ErrorColumn) {
            const QString text = displayText(ref, column).toString();
            return text.isEmpty() ? QVariant() : QVariant(text);
        }
        return {};
    case Qt::ForegroundRole:
        return column == Column::LevelColumn ? levelColour(ref.row.level) : QVariant();
    case Qt::FontRole:
        if (column == Column::LevelColumn && ref.row.level >= EventLevel::Error) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == Column::AttemptColumn || column == Column::LatencyColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    default:
        return {};
    }
}

QVariant logHeaderData(Column column, int role)
{
    static const std::array<QString, LogTableModel::ColumnCount> titles = {
        QStringLiteral("Time"),    QStringLiteral("Level"),   QStringLiteral("Event"),
        QStringLiteral("Service"), QStringLiteral("Call"),    QStringLiteral("Attempt"),
        QStringLiteral("State"),   QStringLiteral("Latency"), QStringLiteral("Error"),
        QStringLiteral("Message"),
    };
    if (role == Qt::DisplayRole)
        return titles[std::size_t(column)];
    return {};
}

} // namespace breakwater
