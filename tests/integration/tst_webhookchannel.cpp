#include "alerts/channels/webhookchannel.h"
#include "alertsamples.h"
#include "backgrounddelivery.h"
#include "webhooktestreceiver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <optional>
#include <thread>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;
using Outcome = DeliveryAttempt::Outcome;

namespace {

// Generous: a loaded 2-core machine may be slow, and a passing test never waits this long.
constexpr int kWaitMs = 20000;
const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

WebhookChannelSettings settingsFor(const WebhookTestReceiver& receiver, const QString& secret)
{
    WebhookChannelSettings settings;
    settings.url = receiver.url();
    settings.secret = secret;
    return settings;
}

} // namespace

class TestWebhookChannel final : public QObject
{
    Q_OBJECT

private slots:
    void deliversSignedPayload_data();
    void deliversSignedPayload();
    void wrongSecretIsRefused();
    void unsignedWithoutSecret();
    void keepsWebhookIdAcrossAttempts();
    void classifiesAnswers_data();
    void classifiesAnswers();
    void receiverDownIsTransient();
    void hangingReceiverTimesOut();
    void cancelEndsHangingDelivery();
};

void TestWebhookChannel::deliversSignedPayload_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addRow("whsec base64 key") << kSecret;
    QTest::addRow("plain text key") << QStringLiteral("correct horse battery staple");
}

void TestWebhookChannel::deliversSignedPayload()
{
    QFETCH(QString, secret);
    WebhookTestReceiver receiver(secret);
    QVERIFY(receiver.isListening());
    WebhookChannel channel(settingsFor(receiver, secret), 5s);
    const Delivery delivery = sampleDelivery(QStringLiteral("dlv-0001"), QStringLiteral("webhook"));

    const std::optional<DeliveryAttempt> attempt = deliverInBackground(channel, delivery, kWaitMs);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered,
             QByteArray(describe(*attempt) + " / " + receiver.refusals().join(u"; ").toUtf8()));
    QCOMPARE(attempt->status, 200);
    QCOMPARE(receiver.badSignatures(), 0);
    QCOMPARE(receiver.deliveries().size(), std::size_t(1));

    const WebhookTestReceiver::Delivery& got = receiver.deliveries().front();
    QCOMPARE(got.id, QByteArray("dlv-0001"));
    QVERIFY(got.signature.startsWith("v1,"));
    // The timestamp is the sending time, not the notification's: receivers reject old ones.
    QVERIFY(std::abs(got.timestamp - QDateTime::currentSecsSinceEpoch()) < 60);

    const QJsonObject& payload = got.payload;
    const Notification& sent = delivery.notification;
    QCOMPARE(payload.value(u"version").toString(), QStringLiteral("4"));
    QCOMPARE(payload.value(u"status").toString(), QStringLiteral("firing"));
    QCOMPARE(payload.value(u"groupKey").toString(), sent.groupKey());
    QCOMPARE(payload.value(u"groupLabels").toObject().value(u"service").toString(),
             QStringLiteral("elevenlabs"));
    QCOMPARE(payload.value(u"commonLabels").toObject().value(u"service").toString(),
             QStringLiteral("elevenlabs"));
    const QJsonArray alerts = payload.value(u"alerts").toArray();
    QCOMPARE(alerts.size(), qsizetype(sent.alerts.size()));
    for (qsizetype i = 0; i < alerts.size(); ++i) {
        const QJsonObject alert = alerts.at(i).toObject();
        const Alert& expected = sent.alerts.at(std::size_t(i));
        const QJsonObject labels = alert.value(u"labels").toObject();
        QCOMPARE(labels.value(u"alertname").toString(), expected.rule);
        QCOMPARE(labels.value(u"severity").toString(), alertSeverityName(expected.severity));
        QCOMPARE(alert.value(u"annotations").toObject().value(u"summary").toString(),
                 expected.summary);
        QCOMPARE(alert.value(u"fingerprint").toString(), expected.fingerprint);
        QCOMPARE(alert.value(u"startsAt").toString(), rfc3339(expected.startsAt));
        QCOMPARE(alert.value(u"status").toString(),
                 expected.isResolved() ? QStringLiteral("resolved") : QStringLiteral("firing"));
        QCOMPARE(alert.value(u"endsAt").toString(), expected.endsAt
                                                        ? rfc3339(*expected.endsAt)
                                                        : QStringLiteral("0001-01-01T00:00:00Z"));
    }
    QCOMPARE(alerts.at(1).toObject().value(u"labels").toObject().value(u"error_code").toString(),
             QStringLiteral("quota_exceeded"));
}

void TestWebhookChannel::wrongSecretIsRefused()
{
    // The receiver's check must be able to fail, or the test above proves nothing.
    WebhookTestReceiver receiver(kSecret);
    WebhookChannel channel(settingsFor(receiver, QStringLiteral("whsec_c29tZSBvdGhlciBrZXk=")), 5s);
    const std::optional<DeliveryAttempt> attempt = deliverInBackground(
        channel, sampleDelivery(QStringLiteral("dlv-0002"), QStringLiteral("webhook")), kWaitMs);
    QVERIFY(attempt);
    QCOMPARE(attempt->outcome, Outcome::Permanent);
    QCOMPARE(attempt->status, 401);
    QCOMPARE(receiver.badSignatures(), 1);
    QVERIFY(receiver.deliveries().empty());
}

void TestWebhookChannel::unsignedWithoutSecret()
{
    WebhookTestReceiver receiver({});
    WebhookChannel channel(settingsFor(receiver, {}), 5s);
    const std::optional<DeliveryAttempt> attempt = deliverInBackground(
        channel, sampleDelivery(QStringLiteral("dlv-0003"), QStringLiteral("webhook")), kWaitMs);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered, describe(*attempt));
    QCOMPARE(receiver.requestCount(), 1);
    QVERIFY(receiver.requests().front().signature.isNull());
    // The id still goes along: it is how a receiver de-duplicates, signed or not.
    QCOMPARE(receiver.requests().front().id, QByteArray("dlv-0003"));
}

void TestWebhookChannel::keepsWebhookIdAcrossAttempts()
{
    WebhookTestReceiver receiver(kSecret);
    receiver.answerStatus(1, 503);
    WebhookChannel channel(settingsFor(receiver, kSecret), 5s);
    Delivery delivery = sampleDelivery(QStringLiteral("dlv-0004"), QStringLiteral("webhook"));

    const std::optional<DeliveryAttempt> first = deliverInBackground(channel, delivery, kWaitMs);
    QVERIFY(first);
    QCOMPARE(first->outcome, Outcome::Transient);
    delivery.attempts = 1;
    const std::optional<DeliveryAttempt> second = deliverInBackground(channel, delivery, kWaitMs);
    QVERIFY(second);
    QVERIFY2(second->outcome == Outcome::Delivered, describe(*second));

    QCOMPARE(receiver.requestCount(), 2);
    QCOMPARE(receiver.requests().at(0).id, QByteArray("dlv-0004"));
    QCOMPARE(receiver.requests().at(1).id, QByteArray("dlv-0004"));
    QCOMPARE(receiver.badSignatures(), 0); // both attempts signed correctly, not only the last
    QCOMPARE(receiver.deliveries().size(), std::size_t(1));
}

void TestWebhookChannel::classifiesAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("retryAfterHeader");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<qint64>("retryAfterMs"); // -1: none expected
    QTest::addColumn<bool>("disables");

    QTest::addRow("410 retires the endpoint")
        << 410 << QByteArray() << Outcome::Permanent << qint64(-1) << true;
    QTest::addRow("429 with Retry-After")
        << 429 << QByteArray("7") << Outcome::Transient << qint64(7000) << false;
    QTest::addRow("503 with Retry-After")
        << 503 << QByteArray("3") << Outcome::Transient << qint64(3000) << false;
    QTest::addRow("502 without Retry-After")
        << 502 << QByteArray() << Outcome::Transient << qint64(-1) << false;
    QTest::addRow("400 is a refusal")
        << 400 << QByteArray() << Outcome::Permanent << qint64(-1) << false;
    QTest::addRow("403 is a refusal")
        << 403 << QByteArray() << Outcome::Permanent << qint64(-1) << false;
}

void TestWebhookChannel::classifiesAnswers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, retryAfterHeader);
    QFETCH(Outcome, outcome);
    QFETCH(qint64, retryAfterMs);
    QFETCH(bool, disables);

    WebhookTestReceiver receiver(kSecret);
    receiver.answerStatus(1, status, retryAfterHeader);
    WebhookChannel channel(settingsFor(receiver, kSecret), 5s);
    const std::optional<DeliveryAttempt> attempt = deliverInBackground(
        channel, sampleDelivery(QStringLiteral("dlv-0005"), QStringLiteral("webhook")), kWaitMs);
    QVERIFY(attempt);
    QCOMPARE(attempt->outcome, outcome);
    QCOMPARE(attempt->status, status);
    QCOMPARE(attempt->disablesChannel, disables);
    if (retryAfterMs < 0) {
        QVERIFY(!attempt->retryAfter);
    } else {
        QVERIFY(attempt->retryAfter);
        QCOMPARE(attempt->retryAfter->count(), retryAfterMs);
    }
    QVERIFY(receiver.deliveries().empty());
}

void TestWebhookChannel::receiverDownIsTransient()
{
    WebhookTestReceiver receiver(kSecret);
    WebhookChannel channel(settingsFor(receiver, kSecret), 5s);
    const Delivery delivery = sampleDelivery(QStringLiteral("dlv-0006"), QStringLiteral("webhook"));

    receiver.setDown(true);
    const std::optional<DeliveryAttempt> refused = deliverInBackground(channel, delivery, kWaitMs);
    QVERIFY(refused);
    QCOMPARE(refused->outcome, Outcome::Transient);
    QCOMPARE(refused->status, 0);
    QCOMPARE(receiver.requestCount(), 0);

    // Back on the same port: the configured URL works again.
    receiver.setDown(false);
    QVERIFY(receiver.isListening());
    const std::optional<DeliveryAttempt> again = deliverInBackground(channel, delivery, kWaitMs);
    QVERIFY(again);
    QVERIFY2(again->outcome == Outcome::Delivered, describe(*again));
}

void TestWebhookChannel::hangingReceiverTimesOut()
{
    WebhookTestReceiver receiver(kSecret);
    receiver.setHanging(true);
    WebhookChannel channel(settingsFor(receiver, kSecret), 500ms);
    BackgroundDelivery run(channel,
                           sampleDelivery(QStringLiteral("dlv-0007"), QStringLiteral("webhook")));
    QVERIFY(run.wait(kWaitMs));
    QCOMPARE(run.attempt().outcome, Outcome::Transient);
    QCOMPARE(receiver.requestCount(), 1); // it got there and was left waiting
    const auto took = run.finishedAt() - run.startedAt();
    QVERIFY2(took >= 450ms && took < 5s,
             QByteArray(QByteArray::number(qint64(took / 1ms)) + " ms"));
}

void TestWebhookChannel::cancelEndsHangingDelivery()
{
    WebhookTestReceiver receiver(kSecret);
    receiver.setHanging(true);
    QSignalSpy arrived(&receiver, &WebhookTestReceiver::requestReceived);
    // A timeout far beyond what the test allows: only cancel() can end this one in time.
    WebhookChannel channel(settingsFor(receiver, kSecret), 30s);
    BackgroundDelivery run(channel,
                           sampleDelivery(QStringLiteral("dlv-0008"), QStringLiteral("webhook")));
    QVERIFY(arrived.wait(kWaitMs));
    QVERIFY(!run.isDone());

    // From a third thread, as the program's shutdown would: neither the test's nor curl's.
    const auto cancelledAt = BackgroundDelivery::Clock::now();
    std::thread([&run] { run.canceller().cancel(); }).join();
    QVERIFY(run.wait(kWaitMs));
    QCOMPARE(run.attempt().outcome, Outcome::Cancelled);
    // ~100 ms is the aim; 300 ms still tells a woken poll from the 1 s poll bound.
    const auto took = run.finishedAt() - cancelledAt;
    QVERIFY2(took < 300ms, QByteArray(QByteArray::number(qint64(took / 1ms)) + " ms"));
}

QTEST_GUILESS_MAIN(TestWebhookChannel)
#include "tst_webhookchannel.moc"
