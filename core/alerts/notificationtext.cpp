#include "notificationtext.h"

#include <QDateTime>

namespace breakwater {

namespace {

// A single piece of alert text longer than this is cut: a message is for reading, the log keeps
// everything.
constexpr qsizetype kMaxTextPiece = 1000;

QString clip(const QString& text)
{
    if (text.size() <= kMaxTextPiece)
        return text;
    qsizetype keep = kMaxTextPiece - 1;
    // Half a surrogate pair is not text: Telegram and UTF-8 encoders would refuse or mangle it.
    if (text.at(keep - 1).isHighSurrogate())
        --keep;
    return text.left(keep) + QChar(0x2026);
}

QString whenText(const Alert& alert)
{
    if (!alert.endsAt)
        return QStringLiteral("since ") + rfc3339(alert.startsAt);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(*alert.endsAt - alert.startsAt).count();
    return QStringLiteral("from %1 to %2 (%3 s)")
        .arg(rfc3339(alert.startsAt), rfc3339(*alert.endsAt))
        .arg(seconds);
}

QString statusWord(const Alert& alert)
{
    return alert.isResolved() ? QStringLiteral("RESOLVED") : QStringLiteral("FIRING");
}

QString plainBlock(const Alert& alert)
{
    QString block = QStringLiteral("%1  %2  %3\n  %4\n")
                        .arg(statusWord(alert), alertSeverityName(alert.severity), alert.rule,
                             clip(alert.summary));
    if (!alert.description.isEmpty())
        block += (alert.isResolved() ? QStringLiteral("  was: ") : QStringLiteral("  ")) +
                 clip(alert.description) + QLatin1Char('\n');
    for (const auto& [name, value] : alert.labels)
        block += QStringLiteral("  %1: %2\n").arg(name, value);
    block += QStringLiteral("  %1, fingerprint %2\n").arg(whenText(alert), alert.fingerprint);
    return block;
}

QString htmlBlock(const Alert& alert)
{
    const QString mark = alert.isResolved()                          ? QStringLiteral("✅")
                         : alert.severity == AlertSeverity::Critical ? QStringLiteral("🔴")
                                                                     : QStringLiteral("🟠");
    QString block = QStringLiteral("%1 <b>%2</b> %3 <code>%4</code>\n%5\n")
                        .arg(mark, statusWord(alert), alertSeverityName(alert.severity),
                             escapeHtml(alert.rule), escapeHtml(clip(alert.summary)));
    if (!alert.description.isEmpty())
        block += QStringLiteral("<i>%1</i>\n").arg(escapeHtml(clip(alert.description)));
    block += escapeHtml(whenText(alert)) + QLatin1Char('\n');
    return block;
}

} // namespace

QString escapeHtml(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&':
            out += QStringLiteral("&amp;");
            break;
        case u'<':
            out += QStringLiteral("&lt;");
            break;
        case u'>':
            out += QStringLiteral("&gt;");
            break;
        case u'"':
            out += QStringLiteral("&quot;");
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString notificationPlainText(const Notification& notification)
{
    QString text = notification.title() + QStringLiteral("\n\n");
    for (const Alert& alert : notification.alerts)
        text += plainBlock(alert) + QLatin1Char('\n');
    text += QStringLiteral("-- \nSent by Breakwater at %1 for the alerts of %2.\n")
                .arg(rfc3339(notification.createdAt), notification.service);
    return text;
}

QString notificationTelegramHtml(const Notification& notification, qsizetype maxLength)
{
    QString html = QStringLiteral("<b>%1</b>\n").arg(escapeHtml(notification.title()));
    // Room for the "… and N more" line, whatever N.
    const qsizetype reserve = 40;
    int shown = 0;
    for (const Alert& alert : notification.alerts) {
        const QString block = QLatin1Char('\n') + htmlBlock(alert);
        if (html.size() + block.size() > maxLength - reserve)
            break;
        html += block;
        ++shown;
    }
    const int left = int(notification.alerts.size()) - shown;
    if (left > 0)
        html += QStringLiteral("\n… and %1 more").arg(left);
    return html.left(maxLength);
}

} // namespace breakwater
