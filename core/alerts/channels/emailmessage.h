#pragma once

#include "alerts/delivery.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace breakwater {

// The address inside "Name <addr@example.com>" or a bare "addr@example.com"; nullopt when there
// is none, or when the text could smuggle in a header (CR, LF) or an SMTP command.
std::optional<QByteArray> mailboxAddress(const QString& text);

// An RFC 5322 message for a notification: Date, From, To, Subject (RFC 2047 encoded words when it
// is not ASCII), Message-ID from the delivery's id (the same on every retry, so a mail system
// that sees it twice can tell), MIME-Version, a UTF-8 text/plain body in base64, and
// Auto-Submitted so that no one's auto-reply answers it. Lines end in CRLF; libcurl dot-stuffs
// the body itself.
QByteArray composeAlertEmail(const Delivery& delivery, const QString& from, const QStringList& to);

// "=?UTF-8?B?...?=" words of at most 75 characters each, folded onto continuation lines, for a
// header value that is not plain ASCII; the value as it is otherwise.
QByteArray encodeHeaderValue(const QString& value);

} // namespace breakwater
