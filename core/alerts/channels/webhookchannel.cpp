#include "webhookchannel.h"

#include "errors/errorclassifier.h"
#include "net/curltransfer.h"
#include "net/httppost.h"
#include "webhooksignature.h"

#include <QDateTime>
#include <QJsonDocument>

namespace breakwater {

WebhookChannel::WebhookChannel(const WebhookChannelSettings& settings, Duration timeout)
    : m_url(settings.url)
    , m_key(settings.secret.isEmpty() ? QByteArray() : webhookSigningKey(settings.secret))
    , m_timeout(timeout)
{}

QString WebhookChannel::destination() const
{
    return m_url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

DeliveryAttempt WebhookChannel::deliver(const Delivery& delivery, TransferCanceller& canceller)
{
    HttpPost post;
    post.url = m_url;
    post.timeout = m_timeout;
    post.body =
        QJsonDocument(alertmanagerPayload(delivery.notification)).toJson(QJsonDocument::Compact);
    const QByteArray id = delivery.id.toUtf8();
    const qint64 timestamp = QDateTime::currentSecsSinceEpoch();
    post.headers = {{"Content-Type", "application/json"},
                    {"webhook-id", id},
                    {"webhook-timestamp", QByteArray::number(timestamp)}};
    if (!m_key.isEmpty())
        post.headers.append(
            {"webhook-signature", webhookSignature(m_key, id, timestamp, post.body)});

    const HttpAnswer answer = postHttp(post, canceller);
    // Only an attempt the cancel cut short: one that ended with an answer just before the
    // cancel reports that answer, or a delivered message would stay in the outbox and go
    // out again on the next start.
    if (answer.code == CURLE_ABORTED_BY_CALLBACK && canceller.isCancelled())
        return DeliveryAttempt::cancelled();
    if (answer.code != CURLE_OK) {
        return isTransientTransferError(answer.code) ? DeliveryAttempt::transient(answer.error)
                                                     : DeliveryAttempt::permanent(answer.error);
    }
    const int status = answer.status;
    if (status >= 200 && status < 300)
        return DeliveryAttempt::delivered(status);
    const QString what = QStringLiteral("HTTP %1 from the webhook").arg(status);
    if (status == 410) {
        DeliveryAttempt gone = DeliveryAttempt::permanent(
            what + QStringLiteral(": the endpoint is gone; no more deliveries go there"), status);
        gone.disablesChannel = true;
        return gone;
    }
    if (status == 408 || status == 429 || status >= 500) {
        DeliveryAttempt again = DeliveryAttempt::transient(what, status);
        again.retryAfter =
            classify::parseRetryAfter(answer.retryAfter, QDateTime::currentDateTimeUtc());
        return again;
    }
    return DeliveryAttempt::permanent(what, status);
}

} // namespace breakwater
