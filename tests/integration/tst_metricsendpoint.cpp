#include "events/eventstream.h"
#include "exposition.h"
#include "httptestclient.h"
#include "promtool.h"
#include "telemetry/metrics/componentmetrics.h"
#include "telemetry/metrics/metricsendpoint.h"
#include "telemetry/metrics/metricsregistry.h"
#include "telemetry/metrics/metricssink.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <condition_variable>
#include <mutex>

using namespace breakwater;
using breakwater::testing::checkWithPromtool;
using breakwater::testing::Exposition;
using breakwater::testing::HttpTestAnswer;
using breakwater::testing::HttpTestClient;
using breakwater::testing::parseExposition;
using breakwater::testing::PromtoolVerdict;

namespace {

const QString kService = QStringLiteral("elevenlabs");

Event callEvent(EventType type, int attempt, const QString& reason = {})
{
    Event e;
    e.type = type;
    e.service = kService;
    e.attempt = attempt;
    e.reason = reason;
    e.state = BreakerState::Closed;
    return e;
}

// One call's worth of events: an attempt that failed, a retry, an attempt that succeeded.
void publishRetriedCall(EventPublisher& events)
{
    Event failed = callEvent(EventType::AttemptFailed, 1);
    failed.latencyMs = 120.0;
    failed.errorKind = ErrorKind::Transient;
    failed.httpStatus = 503;
    events.publish(failed);
    events.publish(callEvent(EventType::RetryScheduled, 2, QStringLiteral("backoff")));
    Event succeeded = callEvent(EventType::AttemptSucceeded, 2);
    succeeded.latencyMs = 80.0;
    events.publish(succeeded);
    events.publish(callEvent(EventType::CallSucceeded, 2, QStringLiteral("succeeded_after_retry")));
}

void publishTrip(EventPublisher& events)
{
    Event trip = callEvent(EventType::BreakerTransition, 0, QStringLiteral("consecutive_failures"));
    trip.fromState = BreakerState::Closed;
    trip.toState = BreakerState::Open;
    trip.state = BreakerState::Open;
    events.publish(trip);
    Event skipped = callEvent(EventType::CallSkipped, 0, QStringLiteral("breaker_open"));
    skipped.state = BreakerState::Open;
    events.publish(skipped);
}

QString failureText(const PromtoolVerdict& verdict, const QByteArray& exposition)
{
    return QStringLiteral("promtool exit %1: %2\n--- exposition ---\n%3")
        .arg(verdict.exitCode)
        .arg(verdict.output, QString::fromUtf8(exposition));
}

// The stream, the sink on it and the endpoint, as a runtime wires them, driven by hand.
struct Exporter
{
    Exporter()
        : sink(registry, {kService})
        , endpoint(registry)
    {
        stream.addSink(&sink);
        addEventStreamMetrics(registry, stream);
        stream.start();
    }
    ~Exporter()
    {
        endpoint.stop(); // before what its callbacks read
        stream.stop();
    }

    HttpTestAnswer get(const QString& path)
    {
        QUrl url = endpoint.url();
        url.setPath(path);
        return client.send(url, QByteArrayLiteral("GET"), {});
    }

    MetricsRegistry registry;
    MetricsSink sink;
    EventStream stream;
    MetricsEndpoint endpoint;
    HttpTestClient client;
};

} // namespace

class TestMetricsEndpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promtoolIsThere()
    {
        // Missing promtool is a broken test machine, never a silent pass.
        const PromtoolVerdict verdict = checkWithPromtool(QByteArrayLiteral(
            "# HELP breakwater_probe_total A check.\n# TYPE breakwater_probe_total counter\n"
            "breakwater_probe_total 1\n"));
        QVERIFY2(verdict.ran, qPrintable(verdict.output));
        QVERIFY2(verdict.accepted(), qPrintable(verdict.output));
        // And it does refuse what breaks the rules, so its silence below means something.
        const PromtoolVerdict refusal = checkWithPromtool(
            QByteArrayLiteral("# HELP x_count A count.\n# TYPE x_count counter\nx_count 1\n"));
        QVERIFY(refusal.ran);
        QVERIFY(!refusal.accepted());
    }

    void servesTheStreamAsMetricsThatPromtoolAccepts()
    {
        Exporter exporter;
        QCOMPARE(exporter.endpoint.start(QHostAddress(QHostAddress::LocalHost), 0), QString());
        QVERIFY(exporter.endpoint.port() != 0);
        QCOMPARE(exporter.endpoint.url().toString(),
                 QStringLiteral("http://127.0.0.1:%1/metrics").arg(exporter.endpoint.port()));

        publishRetriedCall(exporter.stream);
        exporter.stream.publish(callEvent(EventType::CallSucceeded, 1));
        exporter.stream.drain();
        HttpTestAnswer answer = exporter.get(QStringLiteral("/metrics"));
        QCOMPARE(answer.error, QNetworkReply::NoError);
        QCOMPARE(answer.status, 200);
        QVERIFY2(answer.header("Content-Type").startsWith("text/plain; version=0.0.4"),
                 answer.header("Content-Type").constData());
        PromtoolVerdict verdict = checkWithPromtool(answer.body);
        QVERIFY2(verdict.accepted(), qPrintable(failureText(verdict, answer.body)));

        Exposition e = parseExposition(answer.body);
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n')));
        const auto calls = [&e](const char* outcome) {
            return e
                .value(QStringLiteral("breakwater_calls_total"),
                       {{QStringLiteral("service"), kService},
                        {QStringLiteral("outcome"), QString::fromLatin1(outcome)}})
                .value_or(-1.0);
        };
        QCOMPARE(calls("succeeded"), 1.0);
        QCOMPARE(calls("retried_then_succeeded"), 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_retry_calls_total"),
                         {{QStringLiteral("service"), kService},
                          {QStringLiteral("kind"), QStringLiteral("successful_with_retry")}}),
                 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_published_events_total")), 5.0);

        // The values move with the stream: a trip, a skip.
        publishTrip(exporter.stream);
        exporter.stream.drain();
        answer = exporter.get(QStringLiteral("/metrics"));
        QCOMPARE(answer.status, 200);
        verdict = checkWithPromtool(answer.body);
        QVERIFY2(verdict.accepted(), qPrintable(failureText(verdict, answer.body)));
        e = parseExposition(answer.body);
        QCOMPARE(calls("skipped"), 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_calls_not_permitted_total"),
                         {{QStringLiteral("service"), kService}}),
                 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_circuitbreaker_state"),
                         {{QStringLiteral("service"), kService},
                          {QStringLiteral("state"), QStringLiteral("open")}}),
                 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_circuitbreaker_transitions_total"),
                         {{QStringLiteral("service"), kService},
                          {QStringLiteral("from"), QStringLiteral("closed")},
                          {QStringLiteral("to"), QStringLiteral("open")}}),
                 1.0);
    }

    void otherPathsAndMethodsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addRow("root") << QByteArray("GET") << QStringLiteral("/") << 404;
        QTest::addRow("below metrics") << QByteArray("GET") << QStringLiteral("/metrics/x") << 404;
        QTest::addRow("favicon") << QByteArray("GET") << QStringLiteral("/favicon.ico") << 404;
        QTest::addRow("case matters") << QByteArray("GET") << QStringLiteral("/Metrics") << 404;
        QTest::addRow("post") << QByteArray("POST") << QStringLiteral("/metrics") << 405;
        QTest::addRow("delete") << QByteArray("DELETE") << QStringLiteral("/metrics") << 405;
    }

    void otherPathsAndMethodsAreRefused()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, status);
        Exporter exporter;
        QCOMPARE(exporter.endpoint.start(QStringLiteral("127.0.0.1:0")), QString());
        QUrl url = exporter.endpoint.url();
        url.setPath(path);
        const HttpTestAnswer answer = exporter.client.send(url, method, {});
        QCOMPARE(answer.status, status);
        QVERIFY(!answer.body.contains("breakwater_"));
        // The endpoint is still there for the next scraper.
        QCOMPARE(exporter.get(QStringLiteral("/metrics")).status, 200);
    }

    void aClientAskingToCloseGetsTheWholeAnswerAndTheEnd()
    {
        Exporter exporter;
        QCOMPARE(exporter.endpoint.start(QStringLiteral("127.0.0.1:0")), QString());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), exporter.endpoint.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        QByteArray answer;
        // Read to the end, as a client that asked to close does: the server must hang up.
        while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
            answer += socket.readAll();
        answer += socket.readAll();
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.left(80).constData());
        QVERIFY(answer.contains("breakwater_events_total"));
    }

    void aTakenPortOrABadAddressIsAnError()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress(QHostAddress::LocalHost), 0));
        MetricsRegistry registry;
        MetricsEndpoint endpoint(registry);
        const QString error =
            endpoint.start(QHostAddress(QHostAddress::LocalHost), occupant.serverPort());
        QVERIFY2(error.contains(QString::number(occupant.serverPort())), qPrintable(error));
        QVERIFY(!endpoint.isRunning());
        QCOMPARE(endpoint.port(), quint16(0));

        const QString bad = endpoint.start(QStringLiteral("nowhere"));
        QVERIFY2(bad.startsWith(u"metrics.listen: must be <address>:<port>"), qPrintable(bad));
        QVERIFY(!endpoint.isRunning());

        // localhost and a restart after stop() both work.
        QCOMPARE(endpoint.start(QStringLiteral("localhost:0")), QString());
        QVERIFY(endpoint.isRunning());
        QVERIFY(!endpoint.start(QStringLiteral("localhost:0")).isEmpty()); // already running
        endpoint.stop();
        QVERIFY(!endpoint.isRunning());
        QCOMPARE(endpoint.start(QStringLiteral("127.0.0.1:0")), QString());
    }

    void aScrapeNeverWaitsForTheStream()
    {
        // A sink that holds the stream's thread (a stuck disk, say) does not hold the endpoint:
        // a scrape answers with the values so far, and the queue depth shows the backlog.
        class StuckSink final : public EventSink
        {
        public:
            void consume(std::span<const Event>) override
            {
                std::unique_lock lock(mutex);
                entered = true;
                changed.notify_all();
                changed.wait(lock, [this] { return released; });
            }
            void release()
            {
                std::lock_guard lock(mutex);
                released = true;
                changed.notify_all();
            }
            void waitUntilEntered()
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [this] { return entered; });
            }
            std::mutex mutex;
            std::condition_variable changed;
            bool entered = false;
            bool released = false;
        } stuck;

        MetricsRegistry registry;
        MetricsSink sink(registry);
        EventStream stream;
        stream.addSink(&sink);
        stream.addSink(&stuck);
        addEventStreamMetrics(registry, stream);
        MetricsEndpoint endpoint(registry);
        QCOMPARE(endpoint.start(QStringLiteral("127.0.0.1:0")), QString());
        stream.start();
        stream.publish(callEvent(EventType::CallSucceeded, 1));
        stuck.waitUntilEntered();
        for (int i = 0; i < 3; ++i)
            stream.publish(callEvent(EventType::CallSucceeded, 1));

        HttpTestClient client;
        const HttpTestAnswer answer = client.send(endpoint.url(), QByteArrayLiteral("GET"), {});
        stuck.release();
        QCOMPARE(answer.status, 200);
        const Exposition e = parseExposition(answer.body);
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_queued_events")), 3.0);
        QCOMPARE(e.sum(QStringLiteral("breakwater_calls_total")), 1.0);
        endpoint.stop();
        stream.stop();
    }
};

QTEST_GUILESS_MAIN(TestMetricsEndpoint)
#include "tst_metricsendpoint.moc"
