#include "breaker/circuitbreaker.h"
#include "breakerhelpers.h"
#include "clock/manualclock.h"
#include "events/eventstream.h"
#include "exposition.h"
#include "telemetry/metrics/componentmetrics.h"
#include "telemetry/metrics/metricsregistry.h"
#include "telemetry/metrics/metricssink.h"

#include <QRegularExpression>
#include <QTest>

using namespace breakwater;
using breakwater::testing::Exposition;
using breakwater::testing::parseExposition;
using breakwater::testing::SeriesLabels;

namespace {

const QString kService = QStringLiteral("elevenlabs");

Event serviceEvent(EventType type, int attempt = 0, const QString& reason = {})
{
    Event e;
    e.type = type;
    e.service = kService;
    e.attempt = attempt;
    e.reason = reason;
    return e;
}

Event attemptEvent(bool succeeded, double latencyMs)
{
    Event e = serviceEvent(succeeded ? EventType::AttemptSucceeded : EventType::AttemptFailed, 1);
    e.latencyMs = latencyMs;
    return e;
}

Event transitionEvent(BreakerState from, BreakerState to)
{
    Event e = serviceEvent(EventType::BreakerTransition);
    e.fromState = from;
    e.toState = to;
    e.state = to;
    return e;
}

Event alertEvent(EventType type, const QString& reason, std::optional<ErrorKind> kind = {})
{
    Event e;
    e.type = type;
    e.service = kService;
    e.reason = reason;
    e.errorKind = kind;
    return e;
}

// A registry with a sink on it, fed by hand, read back through scrape() as a scraper would.
struct Fixture
{
    explicit Fixture(const QStringList& services = {})
        : sink(registry, services)
    {}

    void feed(std::vector<Event> events) { sink.consume(events); }
    Exposition scrape() const { return parseExposition(registry.scrape()); }

    MetricsRegistry registry;
    MetricsSink sink;
};

SeriesLabels of(const QString& key, const QString& value)
{
    return {{QStringLiteral("service"), kService}, {key, value}};
}

SeriesLabels ofService()
{
    return {{QStringLiteral("service"), kService}};
}

double stateValue(const Exposition& e, BreakerState state)
{
    return e
        .value(QStringLiteral("breakwater_circuitbreaker_state"),
               of(QStringLiteral("state"), breakerStateName(state)))
        .value_or(-1.0);
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aKnownServiceReadsZeroBeforeItsFirstEvent()
    {
        Fixture f({kService});
        const Exposition e = f.scrape();
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n')));
        for (const char* outcome :
             {"succeeded", "retried_then_succeeded", "failed", "skipped", "degraded"}) {
            QCOMPARE(e.value(QStringLiteral("breakwater_calls_total"),
                             of(QStringLiteral("outcome"), QString::fromLatin1(outcome))),
                     0.0);
        }
        QCOMPARE(e.value(QStringLiteral("breakwater_calls_not_permitted_total"), ofService()), 0.0);
        QCOMPARE(e.matching(QStringLiteral("breakwater_retry_calls_total"), ofService()).size(),
                 std::size_t(4));
        QCOMPARE(stateValue(e, BreakerState::Closed), 1.0);
        QCOMPARE(e.sum(QStringLiteral("breakwater_circuitbreaker_state")), 1.0);
        // No transition has happened: no pair of states is made up.
        QVERIFY(
            e.matching(QStringLiteral("breakwater_circuitbreaker_transitions_total"), {}).empty());
    }

    void callEndingsCountByOutcomeAndRetryKind_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("retryKind"); // empty: not a retry call
        QTest::addColumn<bool>("notPermitted");
        const int succeeded = int(EventType::CallSucceeded);
        const int failed = int(EventType::CallFailed);
        const int skipped = int(EventType::CallSkipped);
        QTest::addRow("first attempt") << succeeded << 1 << QString() << "succeeded"
                                       << "successful_without_retry" << false;
        QTest::addRow("after retry")
            << succeeded << 3 << QStringLiteral("succeeded_after_retry") << "retried_then_succeeded"
            << "successful_with_retry" << false;
        QTest::addRow("permanent error")
            << failed << 1 << QStringLiteral("permanent_error") << "failed"
            << "failed_without_retry" << false;
        QTest::addRow("retries exhausted")
            << failed << 4 << QStringLiteral("retries_exhausted") << "failed"
            << "failed_with_retry" << false;
        QTest::addRow("retry refused by the breaker")
            << failed << 1 << QStringLiteral("breaker_open") << "failed"
            << "failed_without_retry" << true;
        QTest::addRow("skipped while open")
            << skipped << 0 << QStringLiteral("breaker_open") << "skipped" << QString() << true;
        QTest::addRow("skipped in half-open")
            << skipped << 0 << QStringLiteral("half_open_trials_taken") << "skipped" << QString()
            << true;
        QTest::addRow("skipped, queue full")
            << skipped << 0 << QStringLiteral("queue_full") << "skipped" << QString() << false;
        QTest::addRow("degraded") << int(EventType::CallDegraded) << 2 << QString() << "degraded"
                                  << QString() << false;
    }

    void callEndingsCountByOutcomeAndRetryKind()
    {
        QFETCH(int, type);
        QFETCH(int, attempts);
        QFETCH(QString, reason);
        QFETCH(QString, outcome);
        QFETCH(QString, retryKind);
        QFETCH(bool, notPermitted);

        Fixture f;
        f.feed({serviceEvent(EventType(type), attempts, reason),
                serviceEvent(EventType(type), attempts, reason)});
        const Exposition e = f.scrape();
        QCOMPARE(e.value(QStringLiteral("breakwater_calls_total"),
                         of(QStringLiteral("outcome"), outcome)),
                 2.0);
        QCOMPARE(e.sum(QStringLiteral("breakwater_calls_total")), 2.0);
        QCOMPARE(e.sum(QStringLiteral("breakwater_retry_calls_total")),
                 retryKind.isEmpty() ? 0.0 : 2.0);
        if (!retryKind.isEmpty())
            QCOMPARE(e.value(QStringLiteral("breakwater_retry_calls_total"),
                             of(QStringLiteral("kind"), retryKind)),
                     2.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_calls_not_permitted_total"), ofService()),
                 notPermitted ? 2.0 : 0.0);
    }

    void attemptLatencyIsAHistogramInSeconds()
    {
        Fixture f;
        // 3 ms, 40 ms, 2 s and 45 s succeed; one 250 ms attempt fails.
        f.feed({attemptEvent(true, 3.0), attemptEvent(true, 40.0), attemptEvent(true, 2000.0),
                attemptEvent(true, 45000.0), attemptEvent(false, 250.0)});
        const Exposition e = f.scrape();
        QCOMPARE(e.types.at(QStringLiteral("breakwater_attempt_duration_seconds")),
                 QStringLiteral("histogram"));
        const QString bucket = QStringLiteral("breakwater_attempt_duration_seconds_bucket");
        const auto ok = [&](const char* le) {
            SeriesLabels labels = of(QStringLiteral("result"), QStringLiteral("succeeded"));
            labels[QStringLiteral("le")] = QString::fromLatin1(le);
            return e.value(bucket, labels).value_or(-1.0);
        };
        // Cumulative: each bucket holds every observation at or below its bound.
        QCOMPARE(ok("0.005"), 1.0);
        QCOMPARE(ok("0.025"), 1.0);
        QCOMPARE(ok("0.05"), 2.0);
        QCOMPARE(ok("1"), 2.0);
        QCOMPARE(ok("2.5"), 3.0);
        QCOMPARE(ok("30"), 3.0);
        QCOMPARE(ok("+Inf"), 4.0);
        const std::vector<testing::ExpositionSample> buckets =
            e.matching(bucket, of(QStringLiteral("result"), QStringLiteral("succeeded")));
        QCOMPARE(buckets.size(), std::size_t(13)); // 12 bounds and +Inf
        const SeriesLabels succeeded = of(QStringLiteral("result"), QStringLiteral("succeeded"));
        QCOMPARE(e.value(QStringLiteral("breakwater_attempt_duration_seconds_count"), succeeded),
                 4.0);
        QCOMPARE(
            e.value(QStringLiteral("breakwater_attempt_duration_seconds_sum"), succeeded).value(),
            47.043);
        const SeriesLabels failed = of(QStringLiteral("result"), QStringLiteral("failed"));
        QCOMPARE(e.value(QStringLiteral("breakwater_attempt_duration_seconds_count"), failed), 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_attempt_duration_seconds_sum"), failed), 0.25);
    }

    void breakerStateIsOneHotAndTransitionsCount()
    {
        Fixture f;
        const std::vector<std::pair<BreakerState, BreakerState>> story{
            {BreakerState::Closed, BreakerState::Open},
            {BreakerState::Open, BreakerState::HalfOpen},
            {BreakerState::HalfOpen, BreakerState::Open},
            {BreakerState::Open, BreakerState::HalfOpen},
            {BreakerState::HalfOpen, BreakerState::Closed},
            {BreakerState::Closed, BreakerState::ForcedOpen},
            {BreakerState::ForcedOpen, BreakerState::Disabled},
        };
        for (const auto& [from, to] : story) {
            f.feed({transitionEvent(from, to)});
            const Exposition e = f.scrape();
            QCOMPARE(
                e.matching(QStringLiteral("breakwater_circuitbreaker_state"), ofService()).size(),
                std::size_t(5));
            QCOMPARE(e.sum(QStringLiteral("breakwater_circuitbreaker_state")), 1.0);
            QCOMPARE(stateValue(e, to), 1.0);
        }
        const Exposition e = f.scrape();
        const auto transitions = [&](const char* from, const char* to) {
            SeriesLabels labels = ofService();
            labels[QStringLiteral("from")] = QString::fromLatin1(from);
            labels[QStringLiteral("to")] = QString::fromLatin1(to);
            return e.value(QStringLiteral("breakwater_circuitbreaker_transitions_total"), labels)
                .value_or(-1.0);
        };
        QCOMPARE(transitions("closed", "open"), 1.0);
        QCOMPARE(transitions("open", "half_open"), 2.0);
        QCOMPARE(transitions("half_open", "open"), 1.0);
        QCOMPARE(transitions("half_open", "closed"), 1.0);
        QCOMPARE(transitions("forced_open", "disabled"), 1.0);
        QCOMPARE(e.sum(QStringLiteral("breakwater_circuitbreaker_transitions_total")), 7.0);
    }

    void theStateAnEventCarriesMovesTheGauge()
    {
        // A call event says the breaker's state after it: the gauge follows without a transition.
        Fixture f;
        Event skipped = serviceEvent(EventType::CallSkipped, 0, QStringLiteral("breaker_open"));
        skipped.state = BreakerState::ForcedOpen;
        f.feed({skipped});
        QCOMPARE(stateValue(f.scrape(), BreakerState::ForcedOpen), 1.0);
        QCOMPARE(f.scrape().sum(QStringLiteral("breakwater_circuitbreaker_state")), 1.0);
    }

    void probesRetriesAndEventsCount()
    {
        Fixture f;
        Event healthy = serviceEvent(EventType::HealthProbe, 0, QStringLiteral("healthy"));
        Event unhealthy = serviceEvent(EventType::HealthProbe, 0, QStringLiteral("unhealthy"));
        unhealthy.errorKind = ErrorKind::Transient;
        f.feed({healthy, unhealthy, unhealthy,
                serviceEvent(EventType::RetryScheduled, 2, QStringLiteral("backoff")),
                serviceEvent(EventType::RetryScheduled, 3, QStringLiteral("retry_after")),
                serviceEvent(EventType::RetryScheduled, 4, QStringLiteral("backoff"))});
        Event dropped;
        dropped.type = EventType::EventsDropped;
        f.feed({dropped});
        const Exposition e = f.scrape();
        const QString probes = QStringLiteral("breakwater_health_probes_total");
        QCOMPARE(e.value(probes, of(QStringLiteral("result"), QStringLiteral("healthy"))), 1.0);
        QCOMPARE(e.value(probes, of(QStringLiteral("result"), QStringLiteral("unhealthy"))), 2.0);
        const QString retries = QStringLiteral("breakwater_retries_scheduled_total");
        QCOMPARE(e.value(retries, of(QStringLiteral("reason"), QStringLiteral("backoff"))), 2.0);
        QCOMPARE(e.value(retries, of(QStringLiteral("reason"), QStringLiteral("retry_after"))),
                 1.0);
        const QString events = QStringLiteral("breakwater_events_total");
        QCOMPARE(e.value(events, {{QStringLiteral("event"), QStringLiteral("health_probe")}}), 3.0);
        QCOMPARE(e.value(events, {{QStringLiteral("event"), QStringLiteral("events_dropped")}}),
                 1.0);
        // Every type has its series, at zero until it happens.
        QCOMPARE(e.matching(events, {}).size(), std::size_t(kEventTypeCount));
        QCOMPARE(e.sum(events), 7.0);
    }

    void alertsCountByRuleAndDeliveriesByChannel()
    {
        Fixture f;
        const QString rule = QStringLiteral("breaker_open");
        f.feed({alertEvent(EventType::AlertRaised, rule),
                alertEvent(EventType::AlertResolved, rule),
                alertEvent(EventType::AlertRaised, rule),
                alertEvent(EventType::AlertRaised, QStringLiteral("error_rate")),
                alertEvent(EventType::AlertDelivered, QStringLiteral("webhook")),
                alertEvent(EventType::AlertDeliveryFailed, QStringLiteral("telegram"),
                           ErrorKind::Transient),
                alertEvent(EventType::AlertDeliveryFailed, QStringLiteral("telegram"),
                           ErrorKind::Transient),
                alertEvent(EventType::AlertDelivered, QStringLiteral("telegram")),
                alertEvent(EventType::AlertDeliveryFailed, QStringLiteral("email"),
                           ErrorKind::Permanent),
                // The outbox's notes name no channel: no delivery of anyone's.
                alertEvent(EventType::AlertDeliveryFailed, QString())});
        const Exposition e = f.scrape();
        QCOMPARE(e.value(QStringLiteral("breakwater_alerts_raised_total"),
                         {{QStringLiteral("rule"), rule}}),
                 2.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_alerts_resolved_total"),
                         {{QStringLiteral("rule"), rule}}),
                 1.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_alerts_raised_total"),
                         {{QStringLiteral("rule"), QStringLiteral("error_rate")}}),
                 1.0);
        const auto deliveries = [&](const char* channel, const char* result) {
            return e
                .value(QStringLiteral("breakwater_alert_deliveries_total"),
                       {{QStringLiteral("channel"), QString::fromLatin1(channel)},
                        {QStringLiteral("result"), QString::fromLatin1(result)}})
                .value_or(-1.0);
        };
        QCOMPARE(deliveries("webhook", "delivered"), 1.0);
        QCOMPARE(deliveries("webhook", "failed"), 0.0);
        QCOMPARE(deliveries("telegram", "retrying"), 2.0);
        QCOMPARE(deliveries("telegram", "delivered"), 1.0);
        QCOMPARE(deliveries("email", "failed"), 1.0);
        QCOMPARE(e.sum(QStringLiteral("breakwater_alert_deliveries_total")), 5.0);
        // Alerts make no series of a service.
        QVERIFY(e.matching(QStringLiteral("breakwater_calls_total"), {}).empty());
    }

    void labelValuesAreEscaped()
    {
        Fixture f;
        Event e = serviceEvent(EventType::CallSucceeded, 1);
        e.service = QStringLiteral("odd \"name\" \\ with\na line break");
        f.feed({e});
        const Exposition parsed = f.scrape();
        QVERIFY2(parsed.errors.isEmpty(), qPrintable(parsed.errors.join(u'\n')));
        QCOMPARE(parsed.value(QStringLiteral("breakwater_calls_total"),
                              {{QStringLiteral("service"), e.service},
                               {QStringLiteral("outcome"), QStringLiteral("succeeded")}}),
                 1.0);
    }

    void sampledSeriesAreReadAtEachScrape()
    {
        MetricsRegistry registry;
        double depth = 3;
        QVERIFY(registry.addGauge(QStringLiteral("breakwater_test_queue_depth"),
                                  QStringLiteral("A queue\nwith a \\ in its help"),
                                  {{QStringLiteral("queue"), QStringLiteral("a")}},
                                  [&depth] { return depth; }));
        QVERIFY(registry.addGauge(QStringLiteral("breakwater_test_queue_depth"),
                                  QStringLiteral("ignored: the first help stays"),
                                  {{QStringLiteral("queue"), QStringLiteral("b")}},
                                  [] { return 7.0; }));
        QVERIFY(registry.addCounter(QStringLiteral("breakwater_test_drops_total"),
                                    QStringLiteral("Drops"), {}, [] { return 11.0; }));
        Exposition e = parseExposition(registry.scrape());
        QCOMPARE(e.helps.at(QStringLiteral("breakwater_test_queue_depth")),
                 QStringLiteral("A queue\\nwith a \\\\ in its help"));
        QCOMPARE(e.types.at(QStringLiteral("breakwater_test_drops_total")),
                 QStringLiteral("counter"));
        QCOMPARE(e.value(QStringLiteral("breakwater_test_queue_depth"),
                         {{QStringLiteral("queue"), QStringLiteral("a")}}),
                 3.0);
        depth = 0.25;
        e = parseExposition(registry.scrape());
        QCOMPARE(e.value(QStringLiteral("breakwater_test_queue_depth"),
                         {{QStringLiteral("queue"), QStringLiteral("a")}}),
                 0.25);
        QCOMPARE(e.value(QStringLiteral("breakwater_test_queue_depth"),
                         {{QStringLiteral("queue"), QStringLiteral("b")}}),
                 7.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_test_drops_total")), 11.0);
    }

    void badSampledSeriesAreRefused_data()
    {
        QTest::addColumn<bool>("counter");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("label");
        QTest::addRow("name with a dash") << false << QStringLiteral("breakwater-x") << QString();
        QTest::addRow("name starting with a digit") << false << QStringLiteral("1x") << QString();
        QTest::addRow("counter without _total")
            << true << QStringLiteral("breakwater_things") << QString();
        QTest::addRow("label with a dash")
            << false << QStringLiteral("breakwater_x") << QStringLiteral("a-b");
        QTest::addRow("reserved label")
            << false << QStringLiteral("breakwater_x") << QStringLiteral("__name");
        QTest::addRow("le on a gauge")
            << false << QStringLiteral("breakwater_x") << QStringLiteral("le");
        QTest::addRow("an event metric's name")
            << true << QStringLiteral("breakwater_calls_total") << QString();
        QTest::addRow("an event metric's name, as a gauge")
            << false << QStringLiteral("breakwater_circuitbreaker_state") << QString();
    }

    void badSampledSeriesAreRefused()
    {
        QFETCH(bool, counter);
        QFETCH(QString, name);
        QFETCH(QString, label);
        Fixture f;
        const MetricLabels labels =
            label.isEmpty() ? MetricLabels{} : MetricLabels{{label, QStringLiteral("v")}};
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^metrics: ")));
        const bool added =
            counter ? f.registry.addCounter(name, QStringLiteral("h"), labels, [] { return 1.0; })
                    : f.registry.addGauge(name, QStringLiteral("h"), labels, [] { return 1.0; });
        QVERIFY(!added);
        QVERIFY(!f.scrape().value(name).has_value());
    }

    void aLabelSetIsAddedOnce()
    {
        MetricsRegistry registry;
        QVERIFY(registry.addGauge(QStringLiteral("breakwater_x"), QStringLiteral("h"), {},
                                  [] { return 1.0; }));
        QVERIFY(!registry.addGauge(QStringLiteral("breakwater_x"), QStringLiteral("h"), {},
                                   [] { return 2.0; }));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^metrics: ")));
        QVERIFY(!registry.addCounter(QStringLiteral("breakwater_x_total"), QStringLiteral("h"), {},
                                     nullptr));
        QCOMPARE(parseExposition(registry.scrape()).value(QStringLiteral("breakwater_x")), 1.0);
    }

    void breakerWindowRatesAreRatios()
    {
        ManualClock clock;
        BreakerConfig config = testing::quietConfig();
        config.slowCallDuration = std::chrono::milliseconds(100);
        CircuitBreaker breaker(kService, config, clock);
        MetricsRegistry registry;
        addBreakerMetrics(registry, breaker);
        Exposition e = parseExposition(registry.scrape());
        QCOMPARE(e.value(QStringLiteral("breakwater_circuitbreaker_failure_rate"), ofService()),
                 0.0);

        testing::succeed(breaker, 2, std::chrono::milliseconds(500)); // slow
        testing::succeed(breaker, 1);
        testing::failTimes(breaker, 1);
        e = parseExposition(registry.scrape());
        QCOMPARE(e.value(QStringLiteral("breakwater_circuitbreaker_failure_rate"), ofService()),
                 0.25);
        QCOMPARE(e.value(QStringLiteral("breakwater_circuitbreaker_slow_call_rate"), ofService()),
                 0.5);
        const QString buffered = QStringLiteral("breakwater_circuitbreaker_buffered_calls");
        QCOMPARE(e.value(buffered, of(QStringLiteral("kind"), QStringLiteral("successful"))), 3.0);
        QCOMPARE(e.value(buffered, of(QStringLiteral("kind"), QStringLiteral("failed"))), 1.0);
    }

    void eventStreamCountsAreSampled()
    {
        EventStream stream;
        MetricsRegistry registry;
        addEventStreamMetrics(registry, stream);
        stream.publish(Event{}); // not started: it waits in the queue
        stream.publish(Event{});
        Exposition e = parseExposition(registry.scrape());
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_queued_events")), 2.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_published_events_total")), 2.0);
        stream.start();
        stream.drain();
        e = parseExposition(registry.scrape());
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_queued_events")), 0.0);
        QCOMPARE(e.value(QStringLiteral("breakwater_event_stream_dropped_events_total")), 0.0);
    }

    void namesFollowPrometheusRules()
    {
        Fixture f({kService});
        // Every kind of series at least once, so every family is printed.
        f.feed({attemptEvent(true, 12.0), transitionEvent(BreakerState::Closed, BreakerState::Open),
                alertEvent(EventType::AlertRaised, QStringLiteral("breaker_open")),
                alertEvent(EventType::AlertDelivered, QStringLiteral("webhook"))});
        ManualClock clock;
        CircuitBreaker breaker(kService, testing::quietConfig(), clock);
        EventStream stream;
        addBreakerMetrics(f.registry, breaker);
        addEventStreamMetrics(f.registry, stream);
        addSheetsMetrics(
            f.registry, [] { return 0.0; }, [] { return 0.0; });
        const QByteArray text = f.registry.scrape();
        const Exposition e = parseExposition(text);
        QVERIFY2(e.errors.isEmpty(), qPrintable(e.errors.join(u'\n')));
        QVERIFY(text.endsWith('\n'));

        const QRegularExpression snakeCase(QStringLiteral("^breakwater_[a-z][a-z0-9_]*[a-z0-9]$"));
        QVERIFY(e.types.size() >= 20);
        for (const auto& [name, type] : e.types) {
            QVERIFY2(snakeCase.match(name).hasMatch(), qPrintable(name));
            QVERIFY2(e.helps.count(name) && !e.helps.at(name).isEmpty(), qPrintable(name));
            QVERIFY2((type == u"counter") == name.endsWith(u"_total"), qPrintable(name));
            if (type == u"histogram")
                QVERIFY2(name.endsWith(u"_seconds"), qPrintable(name));
            // Base units only.
            for (const char* unit : {"_milliseconds", "_ms", "_percent", "_kilobytes"})
                QVERIFY2(!name.contains(QLatin1StringView(unit)), qPrintable(name));
        }
        // Every sample belongs to a declared family (a histogram's by its three suffixes).
        for (const testing::ExpositionSample& sample : e.samples) {
            QString family = sample.name;
            for (const char* suffix : {"_bucket", "_sum", "_count"}) {
                const QString base = family.chopped(qsizetype(qstrlen(suffix)));
                if (family.endsWith(QLatin1StringView(suffix)) && e.types.count(base) &&
                    e.types.at(base) == u"histogram")
                    family = base;
            }
            QVERIFY2(e.types.count(family), qPrintable(sample.name));
        }
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
