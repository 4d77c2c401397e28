#include "events/eventstream.h"
#include "exposition.h"
#include "telemetry/jsonlogsink.h"
#include "telemetry/metrics/componentmetrics.h"
#include "telemetry/metrics/metricsregistry.h"
#include "telemetry/metrics/metricssink.h"
#include "telemetry/sheets/sheetssink.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace breakwater;
using namespace std::chrono_literals;

namespace {

constexpr int kPublishers = 3;
constexpr int kEventsEach = 4000;

Event outcome(int publisher, int i)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.type = i % 4 == 0 ? EventType::CallFailed : EventType::CallSucceeded;
    e.level = i % 4 == 0 ? EventLevel::Error : EventLevel::Info;
    e.service = QStringLiteral("tts-%1").arg(publisher);
    e.callId = std::uint64_t(publisher) * 1'000'000 + std::uint64_t(i);
    e.attempt = 1 + i % 3;
    e.state = BreakerState::Closed;
    e.latencyMs = double(i % 200);
    e.message = QStringLiteral("=1+1 \"quoted\", call %1").arg(i);
    return e;
}

// A port on 127.0.0.1 where nothing listens: the Sheets worker's every try is refused at once.
quint16 closedPort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost) ? server.serverPort() : quint16(1);
}

} // namespace

// The telemetry's threads at once: publishers on their own threads, the stream's thread writing
// app.log through many rotations, counting metrics and queueing Sheets rows on disk, the Sheets
// worker retrying against a refused port and reading that queue, and a scraper thread sampling
// every series meanwhile. Under ThreadSanitizer this is where a data race between them shows;
// in any build the counts must add up exactly once everything has stopped.
class TestTelemetryStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sinksPublishersAndScrapesRunTogether()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        EventStreamConfig streamConfig;
        streamConfig.capacity = std::size_t(1) << 20; // nothing shed: the counts must be exact
        streamConfig.flushInterval = 5ms;
        EventStream stream(streamConfig);

        JsonLogSinkOptions logOptions;
        logOptions.maxFileBytes = 64 * 1024; // rotates every few hundred lines
        logOptions.maxFiles = 3;
        JsonLogSink log(dir.path(), logOptions);
        QCOMPARE(log.open(), QString());

        SheetsSettings sheets;
        sheets.spreadsheetId = QStringLiteral("stress-sheet");
        sheets.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
        sheets.bearerToken = QStringLiteral("stress-bearer-token-not-secret");
        sheets.batchInterval = 100ms;
        sheets.queueMaxRows = 100'000;
        SheetsSinkOptions sheetsOptions;
        sheetsOptions.queueDirectory = dir.filePath(QStringLiteral("sheets-queue"));
        sheetsOptions.retryBase = 10ms;
        sheetsOptions.retryCap = 50ms;
        SheetsSink sheetsSink(sheets, stream, sheetsOptions);
        QCOMPARE(sheetsSink.start(), QString());

        MetricsRegistry registry;
        MetricsSink metrics(registry);
        addEventStreamMetrics(registry, stream);
        addLogMetrics(registry, log);
        addSheetsMetrics(
            registry, [&] { return double(sheetsSink.queuedRows()); },
            [&] { return double(sheetsSink.droppedRows()); });

        stream.addSink(&log);
        stream.addSink(&sheetsSink);
        stream.addSink(&metrics);
        stream.start();

        std::atomic<bool> publishing{true};
        std::atomic<int> scrapes{0};
        std::atomic<int> incompleteScrapes{0};
        std::thread scraper([&] {
            while (publishing.load()) {
                const QByteArray text = registry.scrape();
                if (!text.contains("breakwater_log_written_events_total"))
                    incompleteScrapes.fetch_add(1);
                scrapes.fetch_add(1);
            }
        });
        std::vector<std::thread> publishers;
        for (int p = 0; p < kPublishers; ++p) {
            publishers.emplace_back([&stream, p] {
                for (int i = 0; i < kEventsEach; ++i)
                    stream.publish(outcome(p, i));
            });
        }
        for (std::thread& publisher : publishers)
            publisher.join();
        stream.drain();
        publishing = false;
        scraper.join();
        sheetsSink.stop(0ms);
        stream.stop();

        // The stream's own sheets_append_failed events are rows of no kind selected here, so the
        // queue holds exactly the outcomes; the log holds every event, the metrics counted them.
        constexpr std::uint64_t kPublished = std::uint64_t(kPublishers) * kEventsEach;
        QCOMPARE(stream.droppedCount(), std::uint64_t(0));
        QVERIFY(stream.publishedCount() >= kPublished);
        QCOMPARE(log.eventsWritten(), stream.publishedCount());
        QVERIFY2(log.rotations() > 10, qPrintable(QString::number(log.rotations())));
        QCOMPARE(sheetsSink.queuedRows() + sheetsSink.rowsSent(), kPublished);
        QCOMPARE(sheetsSink.droppedRows(), std::uint64_t(0));
        QVERIFY(sheetsSink.failedRequests() > 0);
        QVERIFY(scrapes.load() > 0);
        QCOMPARE(incompleteScrapes.load(), 0);
        const testing::Exposition last = testing::parseExposition(registry.scrape());
        QVERIFY2(last.errors.isEmpty(), qPrintable(last.errors.join(u'\n')));
        QCOMPARE(last.value(QStringLiteral("breakwater_log_written_events_total")),
                 std::optional(double(log.eventsWritten())));
        QCOMPARE(last.value(QStringLiteral("breakwater_sheets_queued_rows")),
                 std::optional(double(kPublished)));
        QCOMPARE(last.sum(QStringLiteral("breakwater_calls_total")), double(kPublished));
    }
};

QTEST_GUILESS_MAIN(TestTelemetryStress)
#include "tst_telemetrystress.moc"
