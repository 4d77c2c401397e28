#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace breakwater::testing {

class HttpTestListener;
struct HttpTestRequest;
struct HttpTestResponse;

// A webhook endpoint on 127.0.0.1 that takes what an Alertmanager receiver takes: POST
// application/json, an Alertmanager version 4 payload, and with a secret, Standard Webhooks 1.0
// signatures, verified here with Qt's own HMAC rather than Breakwater's signing code, so a
// mistake there cannot agree with itself. Lives on the test's thread and is driven by its event
// loop; the channel under test blocks in libcurl on another thread.
class WebhookTestReceiver final : public QObject
{
    Q_OBJECT

public:
    // The secret as configured: "whsec_<base64>" or plain text; empty: no signature expected.
    explicit WebhookTestReceiver(QString secret, QObject* parent = nullptr);
    ~WebhookTestReceiver() override;
    Q_DISABLE_COPY_MOVE(WebhookTestReceiver)

    bool isListening() const;
    // "http://127.0.0.1:<port>/hooks/breakwater".
    QUrl url() const;

    struct Delivery
    {
        QByteArray id; // webhook-id
        qint64 timestamp = 0;
        QByteArray body;
        QJsonObject payload;
        qint64 receivedAtMs = 0;
        QByteArray signature; // webhook-signature as sent; empty when unsigned
    };
    // Every request, whatever the answer; status 0 while it hangs unanswered.
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QByteArray id;        // webhook-id, null when absent
        QByteArray timestamp; // webhook-timestamp, raw
        QByteArray signature;
        QByteArray body;
        int status = 0;
        QByteArray answer; // the body of the answer: why, for a refusal
        qint64 receivedAtMs = 0;
    };

    // The accepted ones, answered 2xx.
    const std::vector<Delivery>& deliveries() const { return m_deliveries; }
    const std::vector<Request>& requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    std::vector<qint64> requestTimesMs() const;
    // Requests refused for their signature (answered 401).
    int badSignatures() const { return m_badSignatures; }
    // Every refusal as "<status> <why>", in order: what to print when a test fails.
    QStringList refusals() const;

    // The next `times` requests that pass every check get `status` (with Retry-After when
    // given) instead of 200; a scripted 2xx still counts as delivered.
    void answerStatus(int times, int status, const QByteArray& retryAfter = {});
    // Down: stop listening, so connections are refused; up again: the same port.
    void setDown(bool down);
    // Read requests, never answer them (until the client gives up).
    void setHanging(bool hanging) { m_hanging = hanging; }

    // Standard Webhooks verification: any "v1,<base64>" of the space-separated signature header
    // that is HMAC-SHA256(key, "{id}.{timestamp}.{body}"). No check of the timestamp's age.
    static bool verifySignature(const QString& secret, const QByteArray& id,
                                const QByteArray& timestamp, const QByteArray& body,
                                const QByteArray& signatureHeader);
    // Why `payload` is not an Alertmanager version 4 payload; nullopt when it is.
    static std::optional<QString> payloadProblem(const QJsonObject& payload);

Q_SIGNALS:
    void delivered();
    // Any request, accepted or not, once requests() holds it.
    void requestReceived();

private:
    struct Scripted
    {
        int status = 0;
        QByteArray retryAfter;
    };

    std::optional<HttpTestResponse> handle(const HttpTestRequest& request);
    HttpTestResponse check(const HttpTestRequest& request);

    QString m_secret;
    std::unique_ptr<HttpTestListener> m_listener;
    std::deque<Scripted> m_scripted;
    std::vector<Delivery> m_deliveries;
    std::vector<Request> m_requests;
    int m_badSignatures = 0;
    bool m_hanging = false;
};

} // namespace breakwater::testing
