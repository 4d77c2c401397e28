#include "alerts/alertmanager.h"
#include "alerts/channels/alertchannel.h"
#include "net/curltransfer.h"
#include "recordingpublisher.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace breakwater;
using namespace std::chrono_literals;

namespace {

// What the in-process channel delivered; the test owns it, since the manager destroys its
// channels when it stops.
struct DeliveryLog
{
    void add(const QString& id)
    {
        std::lock_guard lock(mutex);
        ids.push_back(id);
    }
    std::vector<QString> all() const
    {
        std::lock_guard lock(mutex);
        return ids;
    }

    mutable std::mutex mutex;
    std::vector<QString> ids;
};

// A channel that answers in-process: every third attempt fails as a 503 would, the others are
// delivered after a short pause. The real channels are tested against real servers elsewhere;
// this one lets ThreadSanitizer watch the manager, the alert thread and the channel worker
// hand deliveries around without libcurl's uninstrumented internals in the way.
class InProcessChannel final : public AlertChannel
{
public:
    explicit InProcessChannel(DeliveryLog& log)
        : m_log(log)
    {}

    QString name() const override { return QStringLiteral("webhook"); }
    QString destination() const override { return QStringLiteral("in-process"); }

    DeliveryAttempt deliver(const Delivery& delivery, TransferCanceller& canceller) override
    {
        if (canceller.isCancelled())
            return DeliveryAttempt::cancelled();
        std::this_thread::sleep_for(200us);
        if (m_attempts.fetch_add(1) % 3 == 2)
            return DeliveryAttempt::transient(QStringLiteral("HTTP 503"), 503);
        m_log.add(delivery.id);
        return DeliveryAttempt::delivered(200);
    }

private:
    DeliveryLog& m_log;
    std::atomic<int> m_attempts{0};
};

Event transition(const QString& service, BreakerState from, BreakerState to)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.type = EventType::BreakerTransition;
    e.service = service;
    e.fromState = from;
    e.toState = e.state = to;
    return e;
}

} // namespace

// The alert manager's threads under load: the stream's thread raising and resolving alerts as
// fast as it can, an operator's thread adding silences and reading the state, the alert thread
// grouping and the channel's thread delivering, some attempts failing. Every delivery must end
// exactly once: delivered once, or still in the outbox, never twice.
class TestAlertStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliveriesEndOnceWhileEveryThreadIsBusy()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        AlertSettings settings;
        settings.routing.groupWait = 0ms;
        settings.routing.groupInterval = 5ms;
        settings.delivery.baseDelay = 1ms;
        settings.delivery.maxDelay = 5ms;
        settings.delivery.breakerFailures = 1000;
        settings.delivery.shutdownGrace = 2s;
        test::RecordingPublisher events;
        AlertManager alerts(events, settings, dir.path());
        DeliveryLog log;
        alerts.addChannel(std::make_unique<InProcessChannel>(log));
        QCOMPARE(alerts.start(), QString());

        std::atomic<bool> running{true};
        std::thread stream([&] {
            for (int round = 0; round < 300; ++round) {
                for (int s = 0; s < 8; ++s) {
                    const QString service = QStringLiteral("svc-%1").arg(s);
                    const Event open =
                        transition(service, BreakerState::Closed, BreakerState::Open);
                    const Event closed =
                        transition(service, BreakerState::Open, BreakerState::Closed);
                    alerts.consume(std::span<const Event>(&open, 1));
                    alerts.consume(std::span<const Event>(&closed, 1));
                }
                std::this_thread::sleep_for(1ms);
            }
            running.store(false);
        });
        std::thread operatorThread([&] {
            Silence silence;
            silence.rule = QStringLiteral("breaker_open");
            silence.service = QStringLiteral("svc-7");
            while (running.load()) {
                alerts.addSilence(silence);
                (void)alerts.activeAlerts();
                (void)alerts.pendingDeliveries();
                (void)alerts.silences();
                alerts.removeSilence(silence.rule, silence.service);
                std::this_thread::sleep_for(2ms);
            }
        });
        stream.join();
        operatorThread.join();
        alerts.stop();

        const std::vector<QString> delivered = log.all();
        const std::set<QString> unique(delivered.begin(), delivered.end());
        QCOMPARE(unique.size(), delivered.size()); // nothing delivered twice
        QVERIFY(!delivered.empty());
        // What was not delivered is still on disk, and nothing on disk was also delivered.
        const QStringList left = QDir(dir.path()).entryList({QStringLiteral("*.json")});
        for (const QString& file : left)
            QVERIFY(!unique.contains(file.chopped(5)));
        QCOMPARE(events.recorder().count(EventType::AlertDelivered), int(delivered.size()));
        // Every breaker_open raised was resolved: the story ended with every breaker closed. What
        // still fires is each service's flapping, once per service.
        int opened = 0;
        int closed = 0;
        for (const Event& e : events.recorder().events()) {
            opened += e.type == EventType::AlertRaised && e.reason == u"breaker_open";
            closed += e.type == EventType::AlertResolved && e.reason == u"breaker_open";
        }
        QCOMPARE(opened, 300 * 8);
        QCOMPARE(closed, opened);
        const std::vector<Alert> firing = alerts.activeAlerts();
        QCOMPARE(firing.size(), std::size_t(8));
        for (const Alert& alert : firing)
            QCOMPARE(alert.rule, QStringLiteral("breaker_flapping"));
    }
};

QTEST_MAIN(TestAlertStress)
#include "tst_alertstress.moc"
