#include "webhooktestreceiver.h"

#include "httptestlistener.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

#include <cstdlib>

namespace breakwater::testing {

namespace {

constexpr QLatin1StringView kPath("/hooks/breakwater");
// Standard Webhooks' default tolerance: an older (or future) timestamp could be a replay.
constexpr qint64 kToleranceSeconds = 5 * 60;

QByteArray signingKey(const QString& secret)
{
    constexpr QLatin1StringView prefix("whsec_");
    if (secret.startsWith(prefix)) {
        const auto decoded = QByteArray::fromBase64Encoding(
            secret.sliced(prefix.size()).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            return *decoded;
    }
    return secret.toUtf8();
}

bool isRfc3339(const QJsonValue& value)
{
    return value.isString() && QDateTime::fromString(value.toString(), Qt::ISODateWithMs).isValid();
}

} // namespace

WebhookTestReceiver::WebhookTestReceiver(QString secret, QObject* parent)
    : QObject(parent)
    , m_secret(std::move(secret))
    , m_listener(std::make_unique<HttpTestListener>(
          [this](const HttpTestRequest& request) { return handle(request); }))
{}

WebhookTestReceiver::~WebhookTestReceiver() = default;

bool WebhookTestReceiver::isListening() const
{
    return m_listener->isListening();
}

QUrl WebhookTestReceiver::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_listener->port());
    url.setPath(kPath);
    return url;
}

std::vector<qint64> WebhookTestReceiver::requestTimesMs() const
{
    std::vector<qint64> times;
    for (const Request& request : m_requests)
        times.push_back(request.receivedAtMs);
    return times;
}

QStringList WebhookTestReceiver::refusals() const
{
    QStringList refused;
    for (const Request& request : m_requests) {
        if (request.status >= 300)
            refused.append(QString::number(request.status) + u' ' +
                           QString::fromUtf8(request.answer));
    }
    return refused;
}

void WebhookTestReceiver::answerStatus(int times, int status, const QByteArray& retryAfter)
{
    for (int i = 0; i < times; ++i)
        m_scripted.push_back({status, retryAfter});
}

void WebhookTestReceiver::setDown(bool down)
{
    m_listener->setDown(down);
}

bool WebhookTestReceiver::verifySignature(const QString& secret, const QByteArray& id,
                                          const QByteArray& timestamp, const QByteArray& body,
                                          const QByteArray& signatureHeader)
{
    const QByteArray expected = QMessageAuthenticationCode::hash(
        id + '.' + timestamp + '.' + body, signingKey(secret), QCryptographicHash::Sha256);
    // Several signatures, space-separated, let a sender rotate keys; one valid one suffices.
    for (const QByteArray& entry : signatureHeader.split(' ')) {
        if (!entry.startsWith("v1,"))
            continue;
        const auto decoded = QByteArray::fromBase64Encoding(
            entry.sliced(3), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && *decoded == expected)
            return true;
    }
    return false;
}

std::optional<QString> WebhookTestReceiver::payloadProblem(const QJsonObject& payload)
{
    if (payload.value(QStringLiteral("version")) != QJsonValue(QStringLiteral("4")))
        return QStringLiteral("version is not \"4\"");
    const QString status = payload.value(QStringLiteral("status")).toString();
    if (status != u"firing" && status != u"resolved")
        return QStringLiteral("status is neither firing nor resolved");
    const QJsonArray alerts = payload.value(QStringLiteral("alerts")).toArray();
    if (alerts.isEmpty())
        return QStringLiteral("alerts is missing or empty");
    for (qsizetype i = 0; i < alerts.size(); ++i) {
        const QJsonObject alert = alerts.at(i).toObject();
        const QJsonValue alertname =
            alert.value(QStringLiteral("labels")).toObject().value(QStringLiteral("alertname"));
        if (alertname.toString().isEmpty())
            return QStringLiteral("alerts[%1] has no labels.alertname").arg(i);
        if (!isRfc3339(alert.value(QStringLiteral("startsAt"))))
            return QStringLiteral("alerts[%1] has no RFC 3339 startsAt").arg(i);
        if (alert.value(QStringLiteral("fingerprint")).toString().isEmpty())
            return QStringLiteral("alerts[%1] has no fingerprint").arg(i);
    }
    return std::nullopt;
}

std::optional<HttpTestResponse> WebhookTestReceiver::handle(const HttpTestRequest& request)
{
    Request record;
    record.method = request.method;
    record.target = request.target;
    record.id = request.header("webhook-id");
    record.timestamp = request.header("webhook-timestamp");
    record.signature = request.header("webhook-signature");
    record.body = request.body;
    record.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_requests.push_back(record);
    // Queued: the answer is on the wire first, and a slot that stops the receiver does not pull
    // the socket out from under it.
    QMetaObject::invokeMethod(this, &WebhookTestReceiver::requestReceived, Qt::QueuedConnection);
    if (m_hanging)
        return std::nullopt;
    const std::size_t deliveriesBefore = m_deliveries.size();
    const HttpTestResponse response = check(request);
    m_requests.back().status = response.status;
    m_requests.back().answer = response.body;
    if (m_deliveries.size() > deliveriesBefore)
        QMetaObject::invokeMethod(this, &WebhookTestReceiver::delivered, Qt::QueuedConnection);
    return response;
}

HttpTestResponse WebhookTestReceiver::check(const HttpTestRequest& request)
{
    const auto refuse = [](int status, const QByteArray& why) {
        return HttpTestResponse{status, "text/plain", why, {}};
    };
    if (request.target != kPath.latin1())
        return refuse(404, "no such hook");
    if (request.method != "POST")
        return refuse(405, "POST only");
    if (request.mediaType() != "application/json")
        return refuse(415, "Content-Type is not application/json");

    // The signature covers the raw body, so it is checked before the body is looked at.
    const QByteArray id = request.header("webhook-id");
    const QByteArray timestampText = request.header("webhook-timestamp");
    const QByteArray signature = request.header("webhook-signature");
    bool timestampOk = false;
    const qint64 timestamp = timestampText.toLongLong(&timestampOk);
    if (!m_secret.isEmpty()) {
        QByteArray why;
        if (id.isEmpty() || !timestampOk || signature.isEmpty())
            why = "webhook-id, webhook-timestamp or webhook-signature is missing";
        else if (std::abs(QDateTime::currentSecsSinceEpoch() - timestamp) > kToleranceSeconds)
            why = "webhook-timestamp is more than 5 minutes away from now";
        else if (!verifySignature(m_secret, id, timestampText, request.body, signature))
            why = "no valid v1 signature";
        if (!why.isEmpty()) {
            ++m_badSignatures;
            return refuse(401, why);
        }
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return refuse(400, "the body is not a JSON object");
    if (const std::optional<QString> problem = payloadProblem(document.object()))
        return refuse(400, "not an Alertmanager v4 payload: " + problem->toUtf8());

    HttpTestResponse response{200, "text/plain", "ok", {}};
    if (!m_scripted.empty()) {
        const Scripted scripted = m_scripted.front();
        m_scripted.pop_front();
        response = refuse(scripted.status, "scripted");
        if (!scripted.retryAfter.isEmpty())
            response.headers.append({"Retry-After", scripted.retryAfter});
    }
    if (response.status >= 200 && response.status < 300) {
        m_deliveries.push_back({id, timestampOk ? timestamp : 0, request.body, document.object(),
                                QDateTime::currentMSecsSinceEpoch(), signature});
    }
    return response;
}

} // namespace breakwater::testing
