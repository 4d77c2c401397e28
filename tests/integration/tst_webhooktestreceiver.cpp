#include "alerts/notification.h"
#include "alertsamples.h"
#include "httptestclient.h"
#include "webhooktestreceiver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>

#include <functional>

using namespace breakwater;
using namespace breakwater::testing;

namespace {

// The example of the Standard Webhooks specification (and of the svix libraries' tests): an
// answer worked out elsewhere, so the receiver's verification is not only checked against itself.
const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QByteArray kVectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const QByteArray kVectorTimestamp = "1614265330";
const QByteArray kVectorBody = R"({"test": 2432232314})";
const QByteArray kVectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

using Headers = QList<std::pair<QByteArray, QByteArray>>;
using Mutation = std::function<void(QJsonObject&)>;

QByteArray payload(const Mutation& change = {})
{
    QJsonObject object = alertmanagerPayload(sampleNotification());
    if (change)
        change(object);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Signed as a Standard Webhooks sender signs; the key is the vector's, decoded.
Headers signedHeaders(const QByteArray& body, qint64 timestamp = QDateTime::currentSecsSinceEpoch())
{
    const QByteArray key = QByteArray::fromBase64(kSecret.sliced(6).toLatin1());
    const QByteArray id = "msg_1";
    const QByteArray stamp = QByteArray::number(timestamp);
    const QByteArray mac = QMessageAuthenticationCode::hash(id + '.' + stamp + '.' + body, key,
                                                            QCryptographicHash::Sha256);
    return {{"webhook-id", id},
            {"webhook-timestamp", stamp},
            {"webhook-signature", "v1,bm90IGl0 v1," + mac.toBase64()}};
}

Mutation onFirstAlert(const std::function<void(QJsonObject&)>& change)
{
    return [change](QJsonObject& object) {
        QJsonArray alerts = object.value(u"alerts").toArray();
        QJsonObject first = alerts.at(0).toObject();
        change(first);
        alerts.replace(0, first);
        object.insert(QStringLiteral("alerts"), alerts);
    };
}

} // namespace

class TestWebhookTestReceiver final : public QObject
{
    Q_OBJECT

private slots:
    void verifiesTheSpecificationsExample();
    void acceptsSignedPayload();
    void acceptsUnsignedWithoutSecret();
    void refuses_data();
    void refuses();
    void answersAsScripted();
    void comesBackOnTheSamePort();
};

void TestWebhookTestReceiver::verifiesTheSpecificationsExample()
{
    QVERIFY(WebhookTestReceiver::verifySignature(kSecret, kVectorId, kVectorTimestamp, kVectorBody,
                                                 kVectorSignature));
    QVERIFY(WebhookTestReceiver::verifySignature(kSecret, kVectorId, kVectorTimestamp, kVectorBody,
                                                 "v1,Zm9v " + kVectorSignature));
    QVERIFY(!WebhookTestReceiver::verifySignature(kSecret, kVectorId, kVectorTimestamp,
                                                  kVectorBody + ' ', kVectorSignature));
    QVERIFY(!WebhookTestReceiver::verifySignature(kSecret, "msg_other", kVectorTimestamp,
                                                  kVectorBody, kVectorSignature));
    QVERIFY(!WebhookTestReceiver::verifySignature(kSecret, kVectorId, kVectorTimestamp, kVectorBody,
                                                  "v2," + kVectorSignature.sliced(3)));
    // The same text not read as whsec_ base64 is another key.
    QVERIFY(!WebhookTestReceiver::verifySignature(kSecret.sliced(6), kVectorId, kVectorTimestamp,
                                                  kVectorBody, kVectorSignature));
}

void TestWebhookTestReceiver::acceptsSignedPayload()
{
    WebhookTestReceiver receiver(kSecret);
    QVERIFY(receiver.isListening());
    HttpTestClient client;
    const QByteArray body = payload();
    const HttpTestAnswer answer = client.postJson(receiver.url(), body, signedHeaders(body));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.body, QByteArray("ok"));
    QCOMPARE(receiver.deliveries().size(), std::size_t(1));
    QCOMPARE(receiver.deliveries().front().id, QByteArray("msg_1"));
    QCOMPARE(receiver.deliveries().front().body, body);
    QCOMPARE(receiver.deliveries().front().payload, QJsonDocument::fromJson(body).object());
    QCOMPARE(receiver.badSignatures(), 0);
}

void TestWebhookTestReceiver::acceptsUnsignedWithoutSecret()
{
    WebhookTestReceiver receiver({});
    HttpTestClient client;
    QCOMPARE(client.postJson(receiver.url(), payload()).status, 200);
    QCOMPARE(receiver.deliveries().size(), std::size_t(1));
}

void TestWebhookTestReceiver::refuses_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("signing"); // 0 signed now, 1 unsigned, 2 ten minutes old, 3 other body
    QTest::addColumn<int>("status");

    const QString hook = QStringLiteral("/hooks/breakwater");
    const QByteArray json = "application/json";
    const QByteArray post = "POST";
    const auto row = [&](const char* name, const QByteArray& body, int signing, int status) {
        QTest::addRow("%s", name) << hook << post << json << body << signing << status;
    };
    QTest::addRow("other path") << QStringLiteral("/hooks/other") << post << json << payload() << 0
                                << 404;
    QTest::addRow("GET") << hook << QByteArray("GET") << json << payload() << 0 << 405;
    QTest::addRow("not JSON typed")
        << hook << post << QByteArray("text/plain") << payload() << 0 << 415;
    row("unsigned", payload(), 1, 401);
    row("ten minutes old", payload(), 2, 401);
    row("signature of another body", payload(), 3, 401);
    row("not JSON", "{\"version\":", 0, 400);
    row("version 3",
        payload([](QJsonObject& o) { o.insert(QStringLiteral("version"), QStringLiteral("3")); }),
        0, 400);
    row("status pending", payload([](QJsonObject& o) {
            o.insert(QStringLiteral("status"), QStringLiteral("pending"));
        }),
        0, 400);
    row("no alerts",
        payload([](QJsonObject& o) { o.insert(QStringLiteral("alerts"), QJsonArray()); }), 0, 400);
    row("alert without alertname", payload(onFirstAlert([](QJsonObject& a) {
            a.insert(QStringLiteral("labels"), QJsonObject());
        })),
        0, 400);
    row("alert without fingerprint",
        payload(onFirstAlert([](QJsonObject& a) { a.remove(QStringLiteral("fingerprint")); })), 0,
        400);
    row("alert with a bad startsAt", payload(onFirstAlert([](QJsonObject& a) {
            a.insert(QStringLiteral("startsAt"), QStringLiteral("yesterday"));
        })),
        0, 400);
}

void TestWebhookTestReceiver::refuses()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, signing);
    QFETCH(int, status);
    WebhookTestReceiver receiver(kSecret);
    HttpTestClient client;
    QUrl url = receiver.url();
    url.setPath(path);
    Headers headers;
    if (signing == 0)
        headers = signedHeaders(body);
    else if (signing == 2)
        headers = signedHeaders(body, QDateTime::currentSecsSinceEpoch() - 600);
    else if (signing == 3)
        headers = signedHeaders(body + ' ');
    headers.append({"Content-Type", contentType});

    const HttpTestAnswer answer = client.send(url, verb, body, headers);
    QVERIFY2(answer.status == status, answer.body);
    QCOMPARE(receiver.badSignatures(), status == 401 ? 1 : 0);
    QCOMPARE(receiver.requestCount(), 1);
    QVERIFY(receiver.deliveries().empty());
}

void TestWebhookTestReceiver::answersAsScripted()
{
    WebhookTestReceiver receiver(kSecret);
    receiver.answerStatus(1, 503, "3");
    HttpTestClient client;
    const QByteArray body = payload();
    const HttpTestAnswer busy = client.postJson(receiver.url(), body, signedHeaders(body));
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.header("Retry-After"), QByteArray("3"));
    QVERIFY(receiver.deliveries().empty());
    QCOMPARE(client.postJson(receiver.url(), body, signedHeaders(body)).status, 200);
    QCOMPARE(receiver.requestCount(), 2);
    QCOMPARE(receiver.deliveries().size(), std::size_t(1));
    QCOMPARE(receiver.requestTimesMs().size(), std::size_t(2));
}

void TestWebhookTestReceiver::comesBackOnTheSamePort()
{
    WebhookTestReceiver receiver({});
    const QUrl url = receiver.url();
    HttpTestClient client;
    receiver.setDown(true);
    QCOMPARE(client.postJson(url, payload()).error, QNetworkReply::ConnectionRefusedError);
    receiver.setDown(false);
    QCOMPARE(receiver.url(), url);
    QCOMPARE(client.postJson(url, payload()).status, 200);
}

QTEST_GUILESS_MAIN(TestWebhookTestReceiver)
#include "tst_webhooktestreceiver.moc"
