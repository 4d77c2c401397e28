#include "config/configloader.h"
#include "events/eventstream.h"
#include "exposition.h"
#include "httptestclient.h"
#include "pipeline/callpipeline.h"
#include "promtool.h"
#include "scenario/scenarioparser.h"
#include "scenariorun.h"
#include "telemetry/metrics/metricsendpoint.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <map>

using namespace breakwater;
using breakwater::test::ScenarioRun;
using breakwater::testing::Exposition;
using breakwater::testing::parseExposition;
using breakwater::testing::SeriesLabels;

namespace {

AppConfig defaultsLoggingTo(const QString& dir)
{
    AppConfig config = parseConfig(QByteArrayLiteral("{}"), QProcessEnvironment()).config;
    config.logging.dir = dir;
    return config;
}

// "name{a=\"x\"}": one series, to follow it from scrape to scrape.
QString seriesKey(const testing::ExpositionSample& sample)
{
    QString key = sample.name + u'{';
    for (const auto& [name, value] : sample.labels)
        key += name + u'=' + value + u',';
    return key + u'}';
}

bool isCounterSample(const Exposition& e, const QString& name)
{
    if (e.types.count(name))
        return e.types.at(name) == u"counter";
    for (const char* suffix : {"_bucket", "_count", "_sum"}) {
        const QString base = name.chopped(qsizetype(qstrlen(suffix)));
        if (name.endsWith(QLatin1StringView(suffix)) && e.types.count(base))
            return e.types.at(base) == u"histogram";
    }
    return false;
}

bool refusedByBreaker(const Event& e)
{
    return (e.type == EventType::CallSkipped || e.type == EventType::CallFailed) &&
           (e.reason == u"breaker_open" || e.reason == u"half_open_trials_taken");
}

} // namespace

class TestMetricsSeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metricsFollowTheSeedScenario()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ScenarioParse seed = seedScenario();
        QVERIFY2(seed.error.isEmpty(), qPrintable(seed.error));
        for (ScenarioStep& step : seed.scenario.steps) {
            if (step.maxLatencyMs)
                step.maxLatencyMs = 100.0; // see tst_seedscenario: no tight timing here
        }

        AppConfig config = defaultsLoggingTo(dir.path());
        // No probes of a healthy service: once the scenario is over nothing more happens, so the
        // last scrape and the recorded events can be compared exactly.
        config.health.healthyInterval = Duration::zero();
        // The runtime serves the metrics as breakwater-agent --metrics-listen has it do.
        config.metrics.listen = QStringLiteral("127.0.0.1:0");
        ScenarioRun run(seed.scenario, config, 0.1);
        QVERIFY2(run.runtime.start().isEmpty(), "the runtime did not start");
        const QString service = run.runtime.pipeline().serviceName();
        QVERIFY(run.runtime.metricsEndpoint() != nullptr);
        const QUrl url = run.runtime.metricsEndpoint()->url();

        // Scrape as Prometheus would, only far more often, while the scenario runs.
        QNetworkAccessManager network;
        std::vector<QByteArray> scrapes;
        int failedScrapes = 0;
        QTimer scraper;
        scraper.setInterval(50);
        connect(&scraper, &QTimer::timeout, this, [&] {
            QNetworkReply* reply = network.get(QNetworkRequest(url));
            connect(reply, &QNetworkReply::finished, this, [&, reply] {
                if (reply->error() == QNetworkReply::NoError)
                    scrapes.push_back(reply->readAll());
                else
                    ++failedScrapes;
                reply->deleteLater();
            });
        });
        scraper.start();
        QSignalSpy finished(&run.runner, &ScenarioRunner::finished);
        run.runner.start();
        QVERIFY(finished.wait(60000));
        scraper.stop();
        QVERIFY2(run.runner.allHeld(), qPrintable(run.runner.summary()));

        // The last scrape sees every event: the stream has handed everything over.
        run.runtime.events().drain();
        testing::HttpTestClient client;
        const testing::HttpTestAnswer last = client.send(url, QByteArrayLiteral("GET"), {});
        QCOMPARE(last.status, 200);
        run.runtime.stop();
        scrapes.push_back(last.body);
        QCOMPARE(failedScrapes, 0);
        QVERIFY2(scrapes.size() >= 10, qPrintable(QString::number(scrapes.size())));

        // Every scrape is valid, and no counter ever goes down.
        std::map<QString, double> previous;
        bool sawOpen = false;
        for (const QByteArray& text : scrapes) {
            const testing::PromtoolVerdict verdict = testing::checkWithPromtool(text);
            QVERIFY2(verdict.accepted(),
                     qPrintable(verdict.output + QStringLiteral("\n") + QString::fromUtf8(text)));
            const Exposition e = parseExposition(text);
            QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n')));
            for (const testing::ExpositionSample& sample : e.samples) {
                if (!isCounterSample(e, sample.name))
                    continue;
                const QString key = seriesKey(sample);
                if (previous.count(key))
                    QVERIFY2(sample.value >= previous[key], qPrintable(key));
                previous[key] = sample.value;
            }
            QCOMPARE(e.sum(QStringLiteral("breakwater_circuitbreaker_state")), 1.0);
            sawOpen =
                sawOpen || e.value(QStringLiteral("breakwater_circuitbreaker_state"),
                                   {{QStringLiteral("service"), service},
                                    {QStringLiteral("state"), QStringLiteral("open")}}) == 1.0;
            const double failureRate =
                e.value(QStringLiteral("breakwater_circuitbreaker_failure_rate"),
                        {{QStringLiteral("service"), service}})
                    .value_or(-1.0);
            QVERIFY2(failureRate >= 0.0 && failureRate <= 1.0,
                     qPrintable(QString::number(failureRate)));
        }
        QVERIFY2(sawOpen, "no scrape saw the breaker open");

        // The last scrape tells what the events told.
        const Exposition e = parseExposition(scrapes.back());
        const std::vector<Event> events = run.recorder.events();
        std::map<EventType, int> counts;
        std::map<std::pair<BreakerState, BreakerState>, int> transitions;
        int refused = 0;
        for (const Event& event : events) {
            ++counts[event.type];
            if (event.type == EventType::BreakerTransition)
                ++transitions[{*event.fromState, *event.toState}];
            refused += refusedByBreaker(event) ? 1 : 0;
        }
        const SeriesLabels ofService{{QStringLiteral("service"), service}};
        const auto calls = [&](const char* outcome) {
            SeriesLabels labels = ofService;
            labels[QStringLiteral("outcome")] = QString::fromLatin1(outcome);
            return int(e.value(QStringLiteral("breakwater_calls_total"), labels).value_or(-1));
        };
        QCOMPARE(calls("succeeded") + calls("retried_then_succeeded"),
                 counts[EventType::CallSucceeded]);
        QCOMPARE(calls("failed"), counts[EventType::CallFailed]);
        QCOMPARE(calls("skipped"), counts[EventType::CallSkipped]);
        QCOMPARE(calls("skipped"), 5); // the seed's degradation phase
        QVERIFY(calls("retried_then_succeeded") + calls("failed") > 0);
        QCOMPARE(int(e.value(QStringLiteral("breakwater_calls_not_permitted_total"), ofService)
                         .value_or(-1)),
                 refused);
        QCOMPARE(int(e.sum(QStringLiteral("breakwater_retry_calls_total"), ofService)),
                 counts[EventType::CallSucceeded] + counts[EventType::CallFailed]);
        const auto attempts = [&](const char* result) {
            SeriesLabels labels = ofService;
            labels[QStringLiteral("result")] = QString::fromLatin1(result);
            return int(e.value(QStringLiteral("breakwater_attempt_duration_seconds_count"), labels)
                           .value_or(-1));
        };
        QCOMPARE(attempts("succeeded"), counts[EventType::AttemptSucceeded]);
        QCOMPARE(attempts("failed"), counts[EventType::AttemptFailed]);
        QCOMPARE(transitions.size(), std::size_t(3)); // open, half_open, closed
        for (const auto& [pair, count] : transitions) {
            SeriesLabels labels = ofService;
            labels[QStringLiteral("from")] = breakerStateName(pair.first);
            labels[QStringLiteral("to")] = breakerStateName(pair.second);
            QCOMPARE(
                int(e.value(QStringLiteral("breakwater_circuitbreaker_transitions_total"), labels)
                        .value_or(-1)),
                count);
        }
        QCOMPARE(e.value(QStringLiteral("breakwater_circuitbreaker_state"),
                         {{QStringLiteral("service"), service},
                          {QStringLiteral("state"), QStringLiteral("closed")}}),
                 1.0);
        QCOMPARE(int(e.sum(QStringLiteral("breakwater_health_probes_total"))),
                 counts[EventType::HealthProbe]);
        QCOMPARE(int(e.sum(QStringLiteral("breakwater_alerts_raised_total"))), 1);
        QCOMPARE(int(e.sum(QStringLiteral("breakwater_alerts_resolved_total"))), 1);
        for (int type = 0; type < kEventTypeCount; ++type) {
            const QString name = eventTypeName(EventType(type));
            QCOMPARE(int(e.value(QStringLiteral("breakwater_events_total"),
                                 {{QStringLiteral("event"), name}})
                             .value_or(-1)),
                     counts[EventType(type)]);
        }
        QVERIFY(e.value(QStringLiteral("breakwater_log_written_bytes_total")).value_or(0) > 0);
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_dropped_events_total")), 0.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_pipeline_calls_in_flight"), ofService), 0.0);
        QVERIFY(e.value(QStringLiteral("breakwater_alert_deliveries_pending")).has_value());
        // No spreadsheet configured: the rows went to sheets.csv, none lost.
        QVERIFY(e.value(QStringLiteral("breakwater_sheets_queued_rows")).has_value());
        QCOMPARE(e.value(QStringLiteral("breakwater_sheets_dropped_rows_total")), 0.0);
        QVERIFY(QFileInfo(QDir(dir.path()).filePath(QStringLiteral("sheets.csv"))).size() > 0);
    }
};

QTEST_GUILESS_MAIN(TestMetricsSeed)
#include "tst_metricsseed.moc"
