#pragma once

#include "notification.h"

#include <QString>

namespace breakwater {

// How a notification reads to a person: the title, then each alert with its severity, what
// happened, the details and when. Plain UTF-8 text, for email.
QString notificationPlainText(const Notification& notification);

// The same as Telegram HTML (parse_mode HTML): every piece of alert text escaped, never longer
// than maxLength UTF-16 units including the markup (Telegram's limit is 4,096 characters after
// parsing, which is never more). Alerts that do not fit are counted at the end.
QString notificationTelegramHtml(const Notification& notification, qsizetype maxLength = 4096);

// &, <, > and " as entities: what Telegram's HTML mode asks of text.
QString escapeHtml(QStringView text);

} // namespace breakwater
