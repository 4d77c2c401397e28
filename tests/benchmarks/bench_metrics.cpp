// The Prometheus exporter's costs: one scrape of ten services' worth of series (every label set
// there, the sampled gauges included), and what MetricsSink::consume() costs the event stream's
// thread per event; and the same scrape over HTTP from the endpoint. Run from a release build:
//   build/release/tests/benchmarks/bench_metrics --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true

#include "allocationcounter.h"
#include "breaker/circuitbreaker.h"
#include "clock/manualclock.h"
#include "telemetry/metrics/componentmetrics.h"
#include "telemetry/metrics/metricsendpoint.h"
#include "telemetry/metrics/metricsregistry.h"
#include "telemetry/metrics/metricssink.h"

#include <QCoreApplication>
#include <QHostAddress>

#include <arpa/inet.h>
#include <array>
#include <benchmark/benchmark.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace breakwater;

namespace {

constexpr int kServices = 10;

QString serviceName(int i)
{
    return QStringLiteral("tts-provider-%1").arg(i);
}

Event event(EventType type, const QString& service, int attempt = 1, const QString& reason = {})
{
    Event e;
    e.type = type;
    e.service = service;
    e.attempt = attempt;
    e.reason = reason;
    e.state = BreakerState::Closed;
    return e;
}

// Every series a service can have, each at least once: outcomes, retry kinds, both attempt
// results across the buckets, both retry reasons, both probe results, every transition between
// two different states; and five alert rules and three channels with every result.
std::vector<Event> everyLabelSet()
{
    std::vector<Event> events;
    const std::array states = {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen,
                               BreakerState::ForcedOpen, BreakerState::Disabled};
    for (int s = 0; s < kServices; ++s) {
        const QString service = serviceName(s);
        events.push_back(event(EventType::CallSucceeded, service, 1));
        events.push_back(event(EventType::CallSucceeded, service, 2));
        events.push_back(event(EventType::CallFailed, service, 1, QStringLiteral("breaker_open")));
        events.push_back(event(EventType::CallFailed, service, 4));
        events.push_back(event(EventType::CallSkipped, service, 0, QStringLiteral("breaker_open")));
        events.push_back(event(EventType::CallDegraded, service, 1));
        for (const double latency : {2.0, 30.0, 300.0, 3000.0, 40000.0}) {
            for (const EventType type : {EventType::AttemptSucceeded, EventType::AttemptFailed}) {
                Event attempt = event(type, service);
                attempt.latencyMs = latency;
                events.push_back(attempt);
            }
        }
        events.push_back(event(EventType::RetryScheduled, service, 2, QStringLiteral("backoff")));
        events.push_back(
            event(EventType::RetryScheduled, service, 2, QStringLiteral("retry_after")));
        events.push_back(event(EventType::HealthProbe, service, 0, QStringLiteral("healthy")));
        events.push_back(event(EventType::HealthProbe, service, 0, QStringLiteral("unhealthy")));
        for (const BreakerState from : states) {
            for (const BreakerState to : states) {
                if (from == to)
                    continue;
                Event transition = event(EventType::BreakerTransition, service, 0);
                transition.fromState = from;
                transition.toState = to;
                transition.state = to;
                events.push_back(transition);
            }
        }
    }
    for (int rule = 0; rule < 5; ++rule) {
        const QString name = QStringLiteral("rule_%1").arg(rule);
        events.push_back(event(EventType::AlertRaised, {}, 0, name));
        events.push_back(event(EventType::AlertResolved, {}, 0, name));
    }
    for (const char* channel : {"email", "telegram", "webhook"})
        events.push_back(event(EventType::AlertDelivered, {}, 0, QString::fromLatin1(channel)));
    return events;
}

// Ten services exporting everything: the sink's families and the sampled gauges of ten real
// breakers, the stream's, the log's and the alert manager's (as plain callbacks here).
struct TenServices
{
    TenServices()
    {
        QStringList services;
        for (int s = 0; s < kServices; ++s)
            services << serviceName(s);
        sink = std::make_unique<MetricsSink>(registry, services);
        sink->consume(everyLabelSet());
        for (int s = 0; s < kServices; ++s) {
            breakers.push_back(
                std::make_unique<CircuitBreaker>(serviceName(s), BreakerConfig{}, clock));
            for (int call = 0; call < 7; ++call)
                breakers.back()->onSuccess(breakers.back()->tryAcquire(),
                                           std::chrono::milliseconds(20));
            addBreakerMetrics(registry, *breakers.back());
        }
        for (const char* name :
             {"breakwater_event_stream_queued_events", "breakwater_alert_deliveries_pending",
              "breakwater_alerts_active", "breakwater_sheets_queued_rows"})
            registry.addGauge(QString::fromLatin1(name), QStringLiteral("h"), {},
                              [] { return 3.0; });
        for (const char* name :
             {"breakwater_log_written_bytes_total", "breakwater_log_written_events_total",
              "breakwater_event_stream_dropped_events_total"})
            registry.addCounter(QString::fromLatin1(name), QStringLiteral("h"), {},
                                [] { return 123456.0; });
    }

    ManualClock clock;
    MetricsRegistry registry;
    std::unique_ptr<MetricsSink> sink;
    std::vector<std::unique_ptr<CircuitBreaker>> breakers;
};

void BM_Scrape10Services(benchmark::State& state)
{
    TenServices exporter;
    const QByteArray sample = exporter.registry.scrape();
    const std::uint64_t allocationsBefore = bench::allocationCount();
    for (auto _ : state) {
        QByteArray text = exporter.registry.scrape();
        benchmark::DoNotOptimize(text.data());
    }
    state.counters["bytes"] = double(sample.size());
    state.counters["lines"] = double(sample.count('\n'));
    state.counters["allocs/scrape"] =
        double(bench::allocationCount() - allocationsBefore) / double(state.iterations());
    state.SetBytesProcessed(std::int64_t(state.iterations()) * sample.size());
}
BENCHMARK(BM_Scrape10Services)->Unit(benchmark::kMicrosecond);

// GET /metrics and its whole answer, as Prometheus sees a scrape: a new loopback connection to the
// endpoint's thread, the text written, sent and read to the end. Plain sockets on this side, so
// that only the endpoint's part is Qt's.
QByteArray httpGet(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QByteArray answer;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        const QByteArray request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Connection: close\r\n\r\n";
        if (::send(fd, request.constData(), std::size_t(request.size()), 0) == request.size()) {
            char buffer[64 * 1024];
            for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
                answer.append(buffer, qsizetype(n));
        }
    }
    ::close(fd);
    return answer;
}

void BM_HttpScrape10Services(benchmark::State& state)
{
    TenServices exporter;
    MetricsEndpoint endpoint(exporter.registry);
    if (const QString error = endpoint.start(QHostAddress(QHostAddress::LocalHost), 0);
        !error.isEmpty()) {
        state.SkipWithError(error.toUtf8().constData());
        return;
    }
    qsizetype bytes = 0;
    for (auto _ : state) {
        const QByteArray answer = httpGet(endpoint.port());
        if (!answer.startsWith("HTTP/1.1 200")) {
            state.SkipWithError("the endpoint did not answer 200");
            break;
        }
        bytes = answer.size();
    }
    state.counters["bytes"] = double(bytes);
    endpoint.stop();
}
BENCHMARK(BM_HttpScrape10Services)->Unit(benchmark::kMicrosecond)->UseRealTime();

// A call's events as the pipeline publishes them, for a service among ten, in batches the size
// the stream hands over under load.
std::vector<Event> callTraffic(int calls)
{
    std::vector<Event> events;
    for (int c = 0; c < calls; ++c) {
        const QString service = serviceName(c % 3); // runs of a few services, as in practice
        events.push_back(event(EventType::CallStarted, service, 0));
        events.push_back(event(EventType::AttemptStarted, service, 1));
        Event succeeded = event(EventType::AttemptSucceeded, service, 1);
        succeeded.latencyMs = 180.0 + c % 50;
        events.push_back(succeeded);
        events.push_back(event(EventType::CallSucceeded, service, 1));
    }
    return events;
}

void BM_ConsumePerEvent(benchmark::State& state)
{
    TenServices exporter;
    const std::vector<Event> batch = callTraffic(256);
    const std::uint64_t allocationsBefore = bench::allocationCount();
    for (auto _ : state)
        exporter.sink->consume(batch);
    state.SetItemsProcessed(std::int64_t(state.iterations() * batch.size()));
    state.counters["s/event"] =
        benchmark::Counter(double(state.iterations() * batch.size()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["allocs/event"] = double(bench::allocationCount() - allocationsBefore) /
                                     double(state.iterations() * batch.size());
}
BENCHMARK(BM_ConsumePerEvent)->Unit(benchmark::kMicrosecond);

// The same events arriving one service at a time in turn: the remembered service never helps.
void BM_ConsumePerEventServicesInterleaved(benchmark::State& state)
{
    TenServices exporter;
    std::vector<Event> batch;
    for (int i = 0; i < 1024; ++i) {
        Event e = event(EventType::AttemptSucceeded, serviceName(i % kServices), 1);
        e.latencyMs = 200.0;
        batch.push_back(e);
    }
    for (auto _ : state)
        exporter.sink->consume(batch);
    state.SetItemsProcessed(std::int64_t(state.iterations() * batch.size()));
    state.counters["s/event"] =
        benchmark::Counter(double(state.iterations() * batch.size()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ConsumePerEventServicesInterleaved)->Unit(benchmark::kMicrosecond);

} // namespace

// Qt delivers what is posted to the endpoint's thread only with an application object.
int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
