#include "alertfeedentry.h"

#include <QColor>
#include <QDateTime>
#include <QStringList>

#include <algorithm>

namespace breakwater {
namespace {

// A refusal can quote a whole server reply; the cell shows its start, the tooltip all of it.
constexpr qsizetype kMaxDeliveryDetail = 48;

QDateTime localTime(WallTime time)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    return QDateTime::fromMSecsSinceEpoch(ms.count());
}

QString shortened(const QString& text)
{
    return text.size() <= kMaxDeliveryDetail ? text
                                             : text.left(kMaxDeliveryDetail - 1) + QChar(0x2026);
}

QString deliveryLine(const AlertDelivery& delivery, bool full)
{
    QString line = delivery.channel + QStringLiteral(": ") +
                   (delivery.delivered ? QStringLiteral("delivered") : QStringLiteral("failed"));
    if (!delivery.delivered && !delivery.detail.isEmpty())
        line += QStringLiteral(" (") + (full ? delivery.detail : shortened(delivery.detail)) +
                QLatin1Char(')');
    return line;
}

} // namespace

AlertSeverity alertSeverityOf(EventLevel level) noexcept
{
    switch (level) {
    case EventLevel::Critical:
    case EventLevel::Error:
        return AlertSeverity::Critical;
    case EventLevel::Warning:
        return AlertSeverity::Warning;
    case EventLevel::Info:
    case EventLevel::Debug:
        break;
    }
    return AlertSeverity::Info;
}

// Mid-tone hues that read on the light and the dark palette; the severity is always also written.
QColor alertSeverityColour(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return QColor(220, 50, 47);
    case AlertSeverity::Warning:
        return QColor(181, 137, 0);
    case AlertSeverity::Info:
        break;
    }
    return QColor(38, 139, 210);
}

QString alertTimeText(WallTime time)
{
    return localTime(time).toString(QStringLiteral("HH:mm:ss"));
}

QString alertDurationText(std::chrono::milliseconds duration)
{
    const std::int64_t seconds = std::max<std::int64_t>(0, duration.count() / 1000);
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

void AlertFeedEntry::setDelivery(AlertDelivery delivery)
{
    const auto same =
        std::find_if(deliveries.begin(), deliveries.end(),
                     [&](const AlertDelivery& d) { return d.channel == delivery.channel; });
    if (same != deliveries.end())
        *same = std::move(delivery);
    else
        deliveries.push_back(std::move(delivery));
}

QString AlertFeedEntry::statusText() const
{
    if (!resolvedAt)
        return QStringLiteral("firing");
    QString text = QStringLiteral("\u2713 resolved at ") + alertTimeText(*resolvedAt);
    if (raiseSeen) {
        const auto lasted =
            std::chrono::duration_cast<std::chrono::milliseconds>(*resolvedAt - time);
        text += QStringLiteral(" (") + alertDurationText(lasted) + QLatin1Char(')');
    }
    return text;
}

QString AlertFeedEntry::deliveryText() const
{
    QStringList lines;
    for (const AlertDelivery& delivery : deliveries)
        lines << deliveryLine(delivery, false);
    return lines.join(QStringLiteral(", "));
}

QString AlertFeedEntry::detailText() const
{
    QStringList lines;
    const QString when = localTime(time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    lines << (raiseSeen ? QStringLiteral("Raised ") + when : QStringLiteral("Resolved ") + when) +
                 QStringLiteral(": ") + alertSeverityName(severity) + QLatin1Char(' ') + rule +
                 QStringLiteral(" on ") + service;
    if (!message.isEmpty())
        lines << message;
    if (resolvedAt)
        lines << statusText() +
                     (resolution.isEmpty() ? QString() : QStringLiteral(": ") + resolution);
    for (const AlertDelivery& delivery : deliveries)
        lines << deliveryLine(delivery, true);
    return lines.join(QLatin1Char('\n'));
}

} // namespace breakwater
