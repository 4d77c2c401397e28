#include "emailmessage.h"

#include "alerts/notificationtext.h"

#include <QDateTime>
#include <QRegularExpression>

namespace breakwater {

namespace {

// UTF-8 bytes per encoded word: 39 bytes are 52 base64 characters, which with "=?UTF-8?B?" and
// "?=" make 64. RFC 2047 allows 75 per word but only 76 per line that holds one, and the first
// word shares its line with "Subject: ".
constexpr qsizetype kWordBytes = 39;
constexpr qsizetype kBase64LineLength = 76;

bool isPlainAscii(const QString& text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

// Header values never carry line breaks from the text they are made of.
QString oneLine(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

QByteArray base64Lines(const QByteArray& data)
{
    const QByteArray encoded = data.toBase64();
    QByteArray out;
    out.reserve(encoded.size() + encoded.size() / kBase64LineLength * 2 + 2);
    for (qsizetype i = 0; i < encoded.size(); i += kBase64LineLength)
        out += encoded.mid(i, kBase64LineLength) + "\r\n";
    return out;
}

// The domain of the sender, for Message-ID's right-hand side.
QByteArray domainOf(const QByteArray& address)
{
    const qsizetype at = address.lastIndexOf('@');
    return at >= 0 && at + 1 < address.size() ? address.mid(at + 1) : QByteArray("breakwater");
}

// "Name <addr>" with the name encoded when it is not ASCII (the address never is encoded).
QByteArray mailboxHeader(const QString& text)
{
    const QString mailbox = oneLine(text).trimmed();
    const qsizetype open = mailbox.lastIndexOf(QLatin1Char('<'));
    if (open <= 0)
        return encodeHeaderValue(mailbox);
    const QString name = mailbox.left(open).trimmed();
    const QByteArray encoded = encodeHeaderValue(name);
    // After encoded words the address goes on a line of its own: on theirs it could push the
    // line past RFC 2047's 76 characters.
    const char* separator = encoded.startsWith("=?") ? "\r\n " : " ";
    return encoded + separator + mailbox.mid(open).toUtf8();
}

} // namespace

std::optional<QByteArray> mailboxAddress(const QString& text)
{
    static const QRegularExpression angle(QStringLiteral("<([^<>\\s]+@[^<>\\s]+)>\\s*$"));
    static const QRegularExpression bare(QStringLiteral("^\\s*([^<>\\s]+@[^<>\\s]+)\\s*$"));
    if (text.contains(QLatin1Char('\r')) || text.contains(QLatin1Char('\n')))
        return std::nullopt;
    QRegularExpressionMatch match = angle.match(text);
    if (!match.hasMatch())
        match = bare.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toUtf8();
}

QByteArray encodeHeaderValue(const QString& value)
{
    if (isPlainAscii(value))
        return value.toLatin1();
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    qsizetype start = 0;
    while (start < utf8.size()) {
        qsizetype end = std::min(start + kWordBytes, utf8.size());
        // Never split a character: back up past continuation bytes (10xxxxxx).
        while (end < utf8.size() && end > start + 1 && (uchar(utf8[end]) & 0xc0) == 0x80)
            --end;
        if (!out.isEmpty())
            out += "\r\n "; // folding: the words join up again when read
        out += "=?UTF-8?B?" + utf8.mid(start, end - start).toBase64() + "?=";
        start = end;
    }
    return out;
}

QByteArray composeAlertEmail(const Delivery& delivery, const QString& from, const QStringList& to)
{
    const Notification& n = delivery.notification;
    const QByteArray fromAddress = mailboxAddress(from).value_or("breakwater@localhost");
    const auto msecs =
        std::chrono::duration_cast<std::chrono::milliseconds>(delivery.queuedAt.time_since_epoch())
            .count();
    QByteArrayList recipients;
    for (const QString& address : to)
        recipients.append(mailboxHeader(address));

    QByteArray message;
    message += "Date: " +
               QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::RFC2822Date).toLatin1() +
               "\r\n";
    message += "From: " + mailboxHeader(from) + "\r\n";
    message += "To: " + recipients.join(",\r\n ") + "\r\n";
    message += "Subject: " + encodeHeaderValue(oneLine(n.title())) + "\r\n";
    message += "Message-ID: <" + delivery.id.toUtf8() + '@' + domainOf(fromAddress) + ">\r\n";
    message += "MIME-Version: 1.0\r\n";
    message += "Content-Type: text/plain; charset=UTF-8\r\n";
    message += "Content-Transfer-Encoding: base64\r\n";
    message += "Auto-Submitted: auto-generated\r\n";
    message += "X-Breakwater-Status: " + QByteArray(n.isFiring() ? "firing" : "resolved") + "\r\n";
    message += "\r\n";
    // Text in its canonical form breaks lines with CRLF, base64 or not (RFC 2046 4.1.1).
    QString body = notificationPlainText(n);
    body.replace(QLatin1Char('\n'), QStringLiteral("\r\n"));
    message += base64Lines(body.toUtf8());
    return message;
}

} // namespace breakwater
