#include "alerts/channels/telegramchannel.h"
#include "alerts/notificationtext.h"
#include "alertsamples.h"
#include "backgrounddelivery.h"
#include "telegramtestserver.h"

#include <QTest>

#include <chrono>
#include <optional>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;
using Outcome = DeliveryAttempt::Outcome;

namespace {

// Generous: a loaded 2-core machine may be slow, and a passing test never waits this long.
constexpr int kWaitMs = 20000;
const QString kToken = QStringLiteral("7212345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");

TelegramChannelSettings settingsFor(const TelegramTestServer& server, const QString& chatId,
                                    const QString& token = kToken)
{
    TelegramChannelSettings settings;
    settings.baseUrl = server.baseUrl();
    settings.botToken = token;
    settings.chatId = chatId;
    return settings;
}

Delivery telegramDelivery(Notification notification = sampleNotification())
{
    return sampleDelivery(QStringLiteral("dlv-tg-1"), QStringLiteral("telegram"),
                          std::move(notification));
}

} // namespace

class TestTelegramChannel final : public QObject
{
    Q_OBJECT

private slots:
    void delivers_data();
    void delivers();
    void wrongTokenIsRefusedWithoutLeakingIt();
    void classifiesAnswers_data();
    void classifiesAnswers();
    void longNotificationStillFits();
    void serverDownIsTransient();
    void hangingServerTimesOut();
};

void TestTelegramChannel::delivers_data()
{
    QTest::addColumn<QString>("chatId");
    QTest::addColumn<QJsonValue>("sentAs");
    QTest::addRow("supergroup id")
        << QStringLiteral("-1001234567890") << QJsonValue(qint64(-1001234567890));
    QTest::addRow("user id") << QStringLiteral("123456789") << QJsonValue(qint64(123456789));
    QTest::addRow("@channel") << QStringLiteral("@breakwater_alerts")
                              << QJsonValue(QStringLiteral("@breakwater_alerts"));
}

void TestTelegramChannel::delivers()
{
    QFETCH(QString, chatId);
    QFETCH(QJsonValue, sentAs);
    TelegramTestServer server(kToken.toLatin1());
    QVERIFY(server.isListening());
    TelegramChannel channel(settingsFor(server, chatId), 5s);
    const Delivery delivery = telegramDelivery();

    const std::optional<DeliveryAttempt> attempt = deliverInBackground(channel, delivery, kWaitMs);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered,
             QByteArray(describe(*attempt) + " / " + server.refusals().join(u"; ").toUtf8()));
    QCOMPARE(attempt->status, 200);
    QCOMPARE(attempt->detail, QStringLiteral("message 1")); // the id from the server's answer
    QCOMPARE(server.messages().size(), std::size_t(1));

    const TelegramTestServer::Message& message = server.messages().front();
    // A number stays a number: Telegram reads "-100..." as a string it cannot find.
    QCOMPARE(message.chatId, sentAs);
    QCOMPARE(message.parseMode, QStringLiteral("HTML"));
    QCOMPARE(message.text, notificationTelegramHtml(delivery.notification));
    // The server parsed it (or it would have said 400); what a reader sees has the alert text
    // as it was written, the markup gone.
    QString shown;
    QVERIFY(!TelegramTestServer::htmlProblem(message.text, &shown));
    QVERIFY2(shown.contains(delivery.notification.alerts.front().summary), qPrintable(shown));
    QVERIFY(shown.contains(delivery.notification.title()));
}

void TestTelegramChannel::wrongTokenIsRefusedWithoutLeakingIt()
{
    TelegramTestServer server(kToken.toLatin1());
    const QString wrongToken = QStringLiteral("7212345678:AAFwrongWrongWrongWrongWrongWrong00");
    TelegramChannel channel(settingsFor(server, QStringLiteral("42"), wrongToken), 5s);

    const std::optional<DeliveryAttempt> attempt =
        deliverInBackground(channel, telegramDelivery(), kWaitMs);
    QVERIFY(attempt);
    QCOMPARE(attempt->outcome, Outcome::Permanent);
    QCOMPARE(attempt->status, 401);
    QCOMPARE(server.requestCount(), 1);
    QVERIFY(server.messages().empty());
    // Not the whole token, and not its secret half either (the bot id before ':' is public).
    const QString secretHalf = wrongToken.sliced(wrongToken.indexOf(u':') + 1);
    for (const QString& reported : {attempt->detail, channel.destination()}) {
        QVERIFY2(!reported.contains(secretHalf), qPrintable(reported));
        QVERIFY2(!reported.contains(kToken.sliced(kToken.indexOf(u':') + 1)), qPrintable(reported));
    }
    QVERIFY2(attempt->detail.contains(u"Unauthorized"), qPrintable(attempt->detail));
}

void TestTelegramChannel::classifiesAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("description");
    QTest::addColumn<int>("retryAfterSeconds"); // -1: an answerStatus() without parameters
    QTest::addColumn<Outcome>("outcome");

    QTest::addRow("429 waits retry_after") << 429 << QByteArray() << 41 << Outcome::Transient;
    QTest::addRow("500 is tried again")
        << 500 << QByteArray("Internal Server Error") << -1 << Outcome::Transient;
    QTest::addRow("502 is tried again")
        << 502 << QByteArray("Bad Gateway") << -1 << Outcome::Transient;
    QTest::addRow("403 blocked") << 403 << QByteArray("Forbidden: bot was blocked by the user")
                                 << -1 << Outcome::Permanent;
    QTest::addRow("400 chat not found")
        << 400 << QByteArray("Bad Request: chat not found") << -1 << Outcome::Permanent;
}

void TestTelegramChannel::classifiesAnswers()
{
    QFETCH(int, status);
    QFETCH(QByteArray, description);
    QFETCH(int, retryAfterSeconds);
    QFETCH(Outcome, outcome);

    TelegramTestServer server(kToken.toLatin1());
    if (status == 429)
        server.answerTooManyRequests(1, retryAfterSeconds);
    else
        server.answerStatus(1, status, description);
    TelegramChannel channel(settingsFor(server, QStringLiteral("42")), 5s);

    const std::optional<DeliveryAttempt> attempt =
        deliverInBackground(channel, telegramDelivery(), kWaitMs);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == outcome, describe(*attempt));
    QCOMPARE(attempt->status, status);
    if (retryAfterSeconds >= 0) {
        QVERIFY(attempt->retryAfter);
        QCOMPARE(attempt->retryAfter->count(), std::chrono::milliseconds(41s).count());
    } else {
        QVERIFY(!attempt->retryAfter);
        QVERIFY2(attempt->detail.contains(QString::fromUtf8(description)),
                 qPrintable(attempt->detail));
    }

    // The scripted answer is spent: the next attempt goes through, proving the request itself
    // was one Telegram accepts.
    const std::optional<DeliveryAttempt> again =
        deliverInBackground(channel, telegramDelivery(), kWaitMs);
    QVERIFY(again);
    QVERIFY2(again->outcome == Outcome::Delivered, describe(*again));
}

void TestTelegramChannel::longNotificationStillFits()
{
    Notification notification = sampleNotification();
    const Alert model = notification.alerts.front();
    notification.alerts.clear();
    for (int i = 0; i < 200; ++i) {
        Alert alert = makeAlert(QStringLiteral("breaker_open"), notification.service,
                                {{QStringLiteral("n"), QString::number(i)}},
                                AlertSeverity::Critical, sampleTime(i));
        // Escaping makes the markup longer than the text: "<" is four characters on the wire.
        alert.summary = model.summary + QStringLiteral(" <<&&>> #%1 ").arg(i) + QString(120, u'x');
        alert.description = QString(200, u'&');
        notification.alerts.push_back(alert);
    }
    TelegramTestServer server(kToken.toLatin1());
    TelegramChannel channel(settingsFor(server, QStringLiteral("42")), 5s);

    const std::optional<DeliveryAttempt> attempt =
        deliverInBackground(channel, telegramDelivery(notification), kWaitMs);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered,
             QByteArray(describe(*attempt) + " / " + server.refusals().join(u"; ").toUtf8()));
    const QString text = server.messages().front().text;
    QVERIFY2(text.size() <= 4096, QByteArray::number(text.size()));
    QVERIFY2(text.contains(u"more"), qPrintable(text.right(80))); // "… and N more"
}

void TestTelegramChannel::serverDownIsTransient()
{
    TelegramTestServer server(kToken.toLatin1());
    server.setDown(true);
    TelegramChannel channel(settingsFor(server, QStringLiteral("42")), 5s);
    const std::optional<DeliveryAttempt> attempt =
        deliverInBackground(channel, telegramDelivery(), kWaitMs);
    QVERIFY(attempt);
    QCOMPARE(attempt->outcome, Outcome::Transient);
    QVERIFY2(!attempt->detail.contains(kToken.sliced(kToken.indexOf(u':') + 1)),
             qPrintable(attempt->detail));
}

void TestTelegramChannel::hangingServerTimesOut()
{
    TelegramTestServer server(kToken.toLatin1());
    server.setHanging(true);
    TelegramChannel channel(settingsFor(server, QStringLiteral("42")), 500ms);
    BackgroundDelivery run(channel, telegramDelivery());
    QVERIFY(run.wait(kWaitMs));
    QCOMPARE(run.attempt().outcome, Outcome::Transient);
    QCOMPARE(server.requestCount(), 1);
    // curl's timeout message names the URL on some versions; the token is in its path.
    QVERIFY2(!run.attempt().detail.contains(kToken.sliced(kToken.indexOf(u':') + 1)),
             qPrintable(run.attempt().detail));
}

QTEST_GUILESS_MAIN(TestTelegramChannel)
#include "tst_telegramchannel.moc"
