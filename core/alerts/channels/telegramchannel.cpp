#include "telegramchannel.h"

#include "alerts/notificationtext.h"
#include "errors/errorclassifier.h"
#include "net/curltransfer.h"
#include "net/httppost.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace breakwater {

namespace {

QUrl sendMessageUrl(const TelegramChannelSettings& settings)
{
    QUrl url = settings.baseUrl;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + QStringLiteral("bot") + settings.botToken + QStringLiteral("/sendMessage"));
    return url;
}

// A chat id is a number (a user, a group) or @channelname; the API wants numbers as numbers.
QJsonValue chatIdValue(const QString& chatId)
{
    bool isNumber = false;
    const qint64 number = chatId.toLongLong(&isNumber);
    return isNumber ? QJsonValue(number) : QJsonValue(chatId);
}

} // namespace

TelegramChannel::TelegramChannel(const TelegramChannelSettings& settings, Duration timeout)
    : m_settings(settings)
    , m_sendMessageUrl(sendMessageUrl(settings))
    , m_timeout(timeout)
{}

QString TelegramChannel::destination() const
{
    return QStringLiteral("%1 chat %2")
        .arg(m_settings.baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery |
                                                QUrl::RemovePath),
             m_settings.chatId);
}

QString TelegramChannel::withoutToken(QString text) const
{
    if (!m_settings.botToken.isEmpty())
        text.replace(m_settings.botToken, QStringLiteral("********"));
    return text;
}

DeliveryAttempt TelegramChannel::deliver(const Delivery& delivery, TransferCanceller& canceller)
{
    HttpPost post;
    post.url = m_sendMessageUrl;
    post.timeout = m_timeout;
    post.headers = {{"Content-Type", "application/json"}};
    post.body =
        QJsonDocument(QJsonObject{
                          {QStringLiteral("chat_id"), chatIdValue(m_settings.chatId)},
                          {QStringLiteral("text"), notificationTelegramHtml(delivery.notification)},
                          {QStringLiteral("parse_mode"), QStringLiteral("HTML")},
                          {QStringLiteral("disable_web_page_preview"), true},
                      })
            .toJson(QJsonDocument::Compact);

    const HttpAnswer answer = postHttp(post, canceller);
    // Only an attempt the cancel cut short: one that ended with an answer just before the
    // cancel reports that answer, or a delivered message would stay in the outbox and go
    // out again on the next start.
    if (answer.code == CURLE_ABORTED_BY_CALLBACK && canceller.isCancelled())
        return DeliveryAttempt::cancelled();
    if (answer.code != CURLE_OK) {
        const QString error = withoutToken(answer.error);
        return isTransientTransferError(answer.code) ? DeliveryAttempt::transient(error)
                                                     : DeliveryAttempt::permanent(error);
    }
    const QJsonObject reply = QJsonDocument::fromJson(answer.body).object();
    const int status = answer.status;
    if (status == 200 && reply.value(QStringLiteral("ok")).toBool()) {
        const qint64 id = reply.value(QStringLiteral("result"))
                              .toObject()
                              .value(QStringLiteral("message_id"))
                              .toInteger();
        return DeliveryAttempt::delivered(status, QStringLiteral("message %1").arg(id));
    }
    QString description = withoutToken(reply.value(QStringLiteral("description")).toString());
    if (description.isEmpty())
        description = status == 200 ? QStringLiteral("the answer was not {\"ok\":true}")
                                    : QStringLiteral("no description");
    const QString what = QStringLiteral("HTTP %1 from Telegram: %2").arg(status).arg(description);
    if (status == 429 || status >= 500 || status == 200) {
        DeliveryAttempt again = DeliveryAttempt::transient(what, status);
        const qint64 retryAfter = reply.value(QStringLiteral("parameters"))
                                      .toObject()
                                      .value(QStringLiteral("retry_after"))
                                      .toInteger(-1);
        if (retryAfter >= 0)
            again.retryAfter = std::chrono::seconds(retryAfter);
        else
            again.retryAfter =
                classify::parseRetryAfter(answer.retryAfter, QDateTime::currentDateTimeUtc());
        return again;
    }
    return DeliveryAttempt::permanent(what, status);
}

} // namespace breakwater
