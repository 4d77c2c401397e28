#include "alerts/alertmanager.h"
#include "alerts/channels/alertchannels.h"
#include "alertservers.h"
#include "recordingpublisher.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;

namespace {

const QString kService = QStringLiteral("elevenlabs");

Event transition(BreakerState from, BreakerState to, const QString& service = kService)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.type = EventType::BreakerTransition;
    e.level = to == BreakerState::Open ? EventLevel::Error : EventLevel::Info;
    e.service = service;
    e.fromState = from;
    e.toState = e.state = to;
    e.message = to == BreakerState::Open ? QStringLiteral("5 consecutive failures (threshold 5)")
                                         : QStringLiteral("health probes succeeded");
    return e;
}

void feed(AlertManager& alerts, const Event& event)
{
    alerts.consume(std::span<const Event>(&event, 1));
}

// One alert manager with every channel, as AgentRuntime builds it, writing to a recorder.
struct Alerting
{
    Alerting(const AlertSettings& settings, const QString& outboxDir)
        : manager(events, settings, outboxDir)
    {
        for (std::unique_ptr<AlertChannel>& channel : makeAlertChannels(settings))
            manager.addChannel(std::move(channel));
    }

    test::RecordingPublisher events;
    AlertManager manager;
};

int eventsOf(const test::RecordingPublisher& events, EventType type, const QString& channel)
{
    int n = 0;
    for (const Event& e : events.recorder().events())
        n += e.type == type && e.reason == channel;
    return n;
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files);
}

// No secret the test configured shows in anything Breakwater said.
void verifyNoSecretIn(const std::vector<Event>& events)
{
    const QString token = QString::fromLatin1(kTestBotToken);
    const QString password = QString::fromLatin1(kTestSmtpPassword);
    for (const Event& e : events) {
        for (const QString& text : {e.message, e.reason, e.errorCode}) {
            QVERIFY2(!text.contains(token), qPrintable(text));
            QVERIFY2(!text.contains(password), qPrintable(text));
            QVERIFY2(!text.contains(kTestWebhookSecret), qPrintable(text));
        }
    }
}

} // namespace

// The alert manager with its three real channels against servers on 127.0.0.1: what reaches
// people when channels are down, throttle, refuse, or the program stops with alerts pending.
class TestAlertDelivery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void channelsDownDuringTheOutageDeliverLateAndOnce()
    {
        AlertServers servers(false); // the mail server is not there yet
        servers.telegram.setDown(true);
        servers.webhook.setDown(true);
        const QString outbox = m_dir.filePath(QStringLiteral("down-outbox"));
        Alerting alerting(servers.settings(), outbox);
        QCOMPARE(alerting.manager.start(), QString());

        feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open));
        // Each channel fails a few times, and says so, while its server is away.
        QTRY_VERIFY_WITH_TIMEOUT(eventsOf(alerting.events, EventType::AlertDeliveryFailed,
                                          QStringLiteral("webhook")) >= 2,
                                 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            eventsOf(alerting.events, EventType::AlertDeliveryFailed, QStringLiteral("email")) >= 2,
            10'000);
        QCOMPARE(filesIn(outbox).size(), 3); // one delivery per channel waits on disk

        servers.startSmtp();
        servers.telegram.setDown(false);
        servers.webhook.setDown(false);
        QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.telegramMessages(), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.smtpMessages(), 1, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(filesIn(outbox).isEmpty(), 5'000);

        feed(alerting.manager, transition(BreakerState::Open, BreakerState::Closed));
        QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 2, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.telegramMessages(), 2, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.smtpMessages(), 2, 10'000);
        alerting.manager.stop();

        // Late, and once each: the firing message and the resolution, nothing twice.
        QCOMPARE(servers.webhookDeliveries(), 2);
        QCOMPARE(servers.telegramMessages(), 2);
        QCOMPARE(servers.smtpMessages(), 2);
        const auto& hooks = servers.webhook.deliveries();
        QCOMPARE(hooks[0].payload.value(QStringLiteral("status")).toString(), u"firing");
        QCOMPARE(hooks[1].payload.value(QStringLiteral("status")).toString(), u"resolved");
        QVERIFY(hooks[0].id != hooks[1].id);
        QCOMPARE(servers.webhook.badSignatures(), 0);
        const QStringList subjects = servers.emailSubjects();
        QCOMPARE(subjects.value(0), QStringLiteral("[FIRING:1] elevenlabs: breaker_open"));
        QCOMPARE(subjects.value(1), QStringLiteral("[RESOLVED] elevenlabs: breaker_open"));
        QCOMPARE(eventsOf(alerting.events, EventType::AlertDelivered, QStringLiteral("webhook")),
                 2);
        verifyNoSecretIn(alerting.events.recorder().events());
    }

    void aTooManyRequestsStormIsWaitedOut()
    {
        AlertServers servers;
        servers.telegram.answerTooManyRequests(3, 1);
        servers.webhook.answerStatus(3, 429, "1");
        AlertSettings settings = servers.settings();
        settings.delivery.baseDelay = 10ms; // so only the servers' word makes it wait
        settings.delivery.maxDelay = 20ms;
        settings.delivery.breakerFailures = 100;
        Alerting alerting(settings, m_dir.filePath(QStringLiteral("storm-outbox")));
        QCOMPARE(alerting.manager.start(), QString());
        feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open));

        QTRY_COMPARE_WITH_TIMEOUT(servers.telegramMessages(), 1, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 1, 15'000);
        alerting.manager.stop();
        for (const std::vector<qint64>& times :
             {servers.telegram.requestTimesMs(), servers.webhook.requestTimesMs()}) {
            QCOMPARE(times.size(), std::size_t(4)); // three throttled, then delivered
            for (std::size_t i = 1; i < times.size(); ++i)
                QVERIFY2(times[i] - times[i - 1] >= 950, // retry_after 1 s, less clock grain
                         qPrintable(QStringLiteral("attempt %1 came %2 ms after the one before")
                                        .arg(i + 1)
                                        .arg(times[i] - times[i - 1])));
        }
        QCOMPARE(servers.smtpMessages(), 1);
    }

    void aHangingChannelHoldsUpNoOtherChannel()
    {
        AlertServers servers;
        servers.telegram.setHanging(true);
        AlertSettings settings = servers.settings();
        settings.delivery.timeout = 4s;
        settings.delivery.shutdownGrace = 0ms;
        Alerting alerting(settings, m_dir.filePath(QStringLiteral("hang-outbox")));
        QCOMPARE(alerting.manager.start(), QString());
        feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open));

        QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(servers.smtpMessages(), 1, 10'000);
        // Both went out while Telegram still held its request.
        QCOMPARE(servers.telegram.requestCount(), 1);
        QCOMPARE(
            eventsOf(alerting.events, EventType::AlertDeliveryFailed, QStringLiteral("telegram")),
            0);
        // The stream's thread was never held up either: another alert goes straight through.
        feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open,
                                          QStringLiteral("second-service")));
        QCOMPARE(alerting.events.recorder().count(EventType::AlertRaised), 2);
        alerting.manager.stop(); // cuts the hanging attempt short; it waits in the outbox
        QCOMPARE(servers.telegramMessages(), 0);
    }

    void alertsPendingAtStopAreDeliveredAfterARestartAndNoneTwice()
    {
        AlertServers servers(false);
        servers.telegram.setDown(true);
        servers.webhook.setDown(true);
        AlertSettings settings = servers.settings();
        settings.routing.groupWait = 1h; // still waiting for its group when the program stops
        settings.delivery.shutdownGrace = 200ms;
        const QString outbox = m_dir.filePath(QStringLiteral("restart-outbox"));
        {
            Alerting first(settings, outbox);
            QCOMPARE(first.manager.start(), QString());
            feed(first.manager, transition(BreakerState::Closed, BreakerState::Open));
            first.manager.stop();
        }
        QCOMPARE(filesIn(outbox).size(), 3);

        servers.startSmtp();
        servers.telegram.setDown(false);
        servers.webhook.setDown(false);
        {
            Alerting second(settings, outbox);
            QCOMPARE(second.manager.start(), QString());
            QTRY_COMPARE_WITH_TIMEOUT(servers.webhookDeliveries(), 1, 10'000);
            QTRY_COMPARE_WITH_TIMEOUT(servers.telegramMessages(), 1, 10'000);
            QTRY_COMPARE_WITH_TIMEOUT(servers.smtpMessages(), 1, 10'000);
            QTRY_VERIFY_WITH_TIMEOUT(filesIn(outbox).isEmpty(), 5'000);
            second.manager.stop();
        }
        {
            Alerting third(settings, outbox);
            QCOMPARE(third.manager.start(), QString());
            QTest::qWait(500); // time enough to resend anything left, were anything left
            third.manager.stop();
        }
        QCOMPARE(servers.webhookDeliveries(), 1);
        QCOMPARE(servers.telegramMessages(), 1);
        QCOMPARE(servers.smtpMessages(), 1);
        QCOMPARE(servers.emailSubjects().value(0),
                 QStringLiteral("[FIRING:1] elevenlabs: breaker_open"));
    }

    void permanentRefusalsAreReportedWithTheirReason()
    {
        AlertServers servers;
        AlertSettings settings = servers.settings();
        settings.telegram.botToken = QStringLiteral("424242:a-token-telegram-does-not-know");
        settings.email.password = QStringLiteral("not-the-password");
        servers.webhook.answerStatus(1, 410);
        Alerting alerting(settings, m_dir.filePath(QStringLiteral("refused-outbox")));
        QCOMPARE(alerting.manager.start(), QString());
        feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open));
        feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open,
                                          QStringLiteral("second-service")));

        const auto refusals = [&](const QString& channel) {
            QStringList messages;
            for (const Event& e : alerting.events.recorder().events()) {
                if (e.type == EventType::AlertDeliveryFailed && e.reason == channel &&
                    e.errorKind == ErrorKind::Permanent)
                    messages << e.message;
            }
            return messages;
        };
        QTRY_COMPARE_WITH_TIMEOUT(refusals(QStringLiteral("telegram")).size(), 2, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(refusals(QStringLiteral("email")).size(), 2, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(refusals(QStringLiteral("webhook")).size(), 2, 10'000);
        alerting.manager.stop();

        QVERIFY2(refusals(QStringLiteral("telegram")).first().contains(QStringLiteral("401")),
                 qPrintable(refusals(QStringLiteral("telegram")).first()));
        QVERIFY2(refusals(QStringLiteral("email")).first().contains(QStringLiteral("535")),
                 qPrintable(refusals(QStringLiteral("email")).first()));
        // 410 retires the endpoint: the second alert is refused without being sent.
        QVERIFY(refusals(QStringLiteral("webhook")).join(u' ').contains(QStringLiteral("gone")));
        QCOMPARE(servers.webhook.requestCount(), 1);
        QCOMPARE(servers.telegramMessages(), 0);
        QCOMPARE(servers.smtpMessages(), 0);
        verifyNoSecretIn(alerting.events.recorder().events());
        for (const Event& e : alerting.events.recorder().events())
            QVERIFY(!e.message.contains(QStringLiteral("not-the-password")));
    }

    // A breaker flapping 1,000 times within a minute of its story (here a few seconds): every
    // alert reaches the log, but people get a handful of grouped messages.
    void aThousandTransitionsBecomeAFewMessages()
    {
        AlertServers servers;
        AlertSettings settings = servers.settings();
        settings.routing.groupWait = 200ms;
        settings.routing.groupInterval = 1s;
        Alerting alerting(settings, m_dir.filePath(QStringLiteral("flood-outbox")));
        QCOMPARE(alerting.manager.start(), QString());
        for (int i = 0; i < 500; ++i) {
            feed(alerting.manager, transition(BreakerState::Closed, BreakerState::Open));
            feed(alerting.manager, transition(BreakerState::Open, BreakerState::Closed));
            QTest::qWait(5);
        }
        QTest::qWait(1'500); // the last group interval passes
        alerting.manager.stop();

        QVERIFY(alerting.events.recorder().count(EventType::AlertRaised) >= 500);
        QVERIFY(alerting.events.recorder().count(EventType::AlertResolved) >= 500);
        for (const int messages :
             {servers.webhookDeliveries(), servers.telegramMessages(), servers.smtpMessages()}) {
            QVERIFY2(messages >= 1 && messages <= 15, qPrintable(QString::number(messages)));
        }
        // The flapping itself is one of the alerts people heard about.
        bool flappingSent = false;
        for (const auto& delivery : servers.webhook.deliveries()) {
            for (const QJsonValue alert :
                 delivery.payload.value(QStringLiteral("alerts")).toArray())
                flappingSent |= alert.toObject()
                                    .value(QStringLiteral("labels"))
                                    .toObject()
                                    .value(QStringLiteral("alertname"))
                                    .toString() == u"breaker_flapping";
        }
        QVERIFY(flappingSent);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestAlertDelivery)
#include "tst_alertdelivery.moc"
