// Alerting's costs: what raising or resolving an alert costs the event stream's thread
// (AlertManager::consume() with its alert and channel threads running), the rules' share of it,
// what alerting costs an ordinary event, and how soon a message reaches a healthy local webhook.
// Run from a release build:
//   build/release/tests/benchmarks/bench_alerts --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true

#include "alerts/alertmanager.h"
#include "alerts/alertrules.h"
#include "alerts/channels/alertchannels.h"
#include "events/eventstream.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <atomic>
#include <benchmark/benchmark.h>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace breakwater;
using namespace std::chrono_literals;
using std::chrono::steady_clock;
using std::chrono::system_clock;

// Heap allocations made by the calling thread, Qt's included: the malloc family is wrapped here
// (operator new and Qt's string and container data all end in malloc), so a figure says what
// the measured thread allocated while the alert, channel and stream threads do their own work.
// Not under a sanitizer, which wraps malloc itself.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_COUNTS_ALLOCATIONS 0
#else
#define BENCH_COUNTS_ALLOCATIONS 1
#endif

namespace {
thread_local std::uint64_t t_allocations = 0;

std::uint64_t threadAllocations()
{
    return t_allocations;
}
} // namespace

#if BENCH_COUNTS_ALLOCATIONS
extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* pointer, std::size_t size) noexcept;

void* malloc(std::size_t size) noexcept
{
    ++t_allocations;
    return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept
{
    ++t_allocations;
    return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept
{
    ++t_allocations;
    return __libc_realloc(pointer, size);
}
}
#endif

namespace {

const QString kService = QStringLiteral("elevenlabs");

// Counts events by type: the alert manager's minimal publisher, or a cheap sink on a real stream.
class EventCounter final : public EventPublisher, public EventSink
{
public:
    void publish(Event event) override { add(event.type); }
    void consume(std::span<const Event> events) override
    {
        for (const Event& e : events)
            add(e.type);
    }
    std::uint64_t count(EventType type) const
    {
        return m_counts[std::size_t(type)].load(std::memory_order_relaxed);
    }

private:
    void add(EventType type)
    {
        m_counts[std::size_t(type)].fetch_add(1, std::memory_order_relaxed);
    }

    std::array<std::atomic<std::uint64_t>, kEventTypeCount> m_counts{};
};

template <typename Predicate> bool waitUntil(Predicate done, Duration timeout)
{
    const TimePoint deadline = steady_clock::now() + timeout;
    while (!done()) {
        if (steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(50us);
    }
    return true;
}

// A minimal HTTP/1.1 receiver on 127.0.0.1, on a thread of its own with blocking sockets: reads
// each request whole (headers, then Content-Length bytes of body), notes the moment it had the
// last byte, answers 204 and closes.
class LocalReceiver final
{
public:
    LocalReceiver()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_listen < 0 ||
            ::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(m_listen, 16) != 0 ||
            ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            std::abort();
        }
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] {
            pthread_setname_np(pthread_self(), "bench-receiver");
            run();
        });
    }
    ~LocalReceiver()
    {
        m_stopping.store(true);
        m_thread.join();
        ::close(m_listen);
    }
    LocalReceiver(const LocalReceiver&) = delete;
    LocalReceiver& operator=(const LocalReceiver&) = delete;

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/alerts").arg(m_port)); }

    std::uint64_t requestCount() const
    {
        std::lock_guard lock(m_mutex);
        return m_received.size();
    }

    // When the request whose body holds `needle` had been read whole; nullopt if none came.
    std::optional<TimePoint> waitFor(const QByteArray& needle, Duration timeout)
    {
        std::unique_lock lock(m_mutex);
        std::optional<TimePoint> at;
        m_arrived.wait_for(lock, timeout, [&] {
            for (const Received& r : m_received) {
                if (r.body.contains(needle))
                    at = r.at;
            }
            return at.has_value();
        });
        return at;
    }

private:
    struct Received
    {
        TimePoint at;
        QByteArray body;
    };

    void run()
    {
        while (!m_stopping.load()) {
            pollfd waiting{m_listen, POLLIN, 0};
            if (::poll(&waiting, 1, 20) <= 0)
                continue;
            const int connection = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (connection < 0)
                continue;
            serve(connection);
            ::close(connection);
        }
    }

    void serve(int connection)
    {
        const timeval timeout{5, 0}; // a client that stalls cannot hold the receiver for good
        ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        QByteArray request;
        qsizetype total = -1;
        char buffer[16384];
        while (total < 0 || request.size() < total) {
            const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
            if (n <= 0)
                return; // closed, reset or stalled: not a whole request
            request.append(buffer, qsizetype(n));
            if (total < 0) {
                const qsizetype headerEnd = request.indexOf("\r\n\r\n");
                if (headerEnd >= 0)
                    total = headerEnd + 4 + contentLength(request.left(headerEnd));
            }
        }
        const TimePoint at = steady_clock::now();
        {
            std::lock_guard lock(m_mutex);
            m_received.push_back({at, request.mid(request.indexOf("\r\n\r\n") + 4)});
        }
        m_arrived.notify_all();
        static constexpr char kAnswer[] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
        (void)::send(connection, kAnswer, sizeof kAnswer - 1, MSG_NOSIGNAL);
    }

    static qsizetype contentLength(const QByteArray& head)
    {
        for (const QByteArray& line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 &&
                line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed().toLongLong();
        }
        return 0;
    }

    int m_listen = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping{false};
    mutable std::mutex m_mutex;
    std::condition_variable m_arrived;
    std::vector<Received> m_received; // guarded by m_mutex
    std::thread m_thread;
};

// A breaker_transition as the pipeline publishes it.
Event transition(const QString& service, BreakerState from, BreakerState to, WallTime at)
{
    Event e;
    e.time = at;
    e.type = EventType::BreakerTransition;
    e.service = service;
    e.state = to;
    e.fromState = from;
    e.toState = to;
    if (to == BreakerState::Open) {
        e.level = EventLevel::Error;
        e.reason = QStringLiteral("failure_rate");
        e.message =
            QStringLiteral("failure rate 62.0% of 50 calls (threshold 50.0%); open for 30.0 s");
        e.delayMs = 30'000;
    } else {
        e.reason = QStringLiteral("half_open_succeeded");
        e.message = QStringLiteral("enough trial calls or health probes succeeded");
    }
    return e;
}

// One-event batches that alternate closed -> open (raises breaker_open) and open -> closed
// (resolves it). Each trip comes a flapping window after the one before, so breaker_open is the
// only rule that fires: three trips within ten minutes would raise breaker_flapping as well and
// keep it up. The times run ahead of the wall clock, so the alert thread's once-a-second look
// never finds the breaker stuck open either.
class TransitionFeed
{
public:
    explicit TransitionFeed(const QString& service)
        : m_open(transition(service, BreakerState::Closed, BreakerState::Open, system_clock::now()))
        , m_close(transition(service, BreakerState::Open, BreakerState::Closed, m_open.time))
    {}

    std::span<const Event> next()
    {
        m_isOpen = !m_isOpen;
        if (m_isOpen) {
            m_open.time += AlertRuleSettings{}.flappingWindow + 1min;
            m_close.time = m_open.time + 1s;
        }
        return {m_isOpen ? &m_open : &m_close, 1};
    }

private:
    Event m_open;
    Event m_close;
    bool m_isOpen = false;
};

void setAllocationCounter(benchmark::State& state, const char* name, std::uint64_t allocations,
                          double items)
{
    if (BENCH_COUNTS_ALLOCATIONS)
        state.counters[name] = double(allocations) / items;
}

enum class Publisher
{
    Counter, // the minimal EventPublisher: the alert manager's own cost
    Stream,  // a started EventStream with the counter as its sink, as in the agent
};

// AlertManager::consume() on one-event batches, each raising or resolving breaker_open, with the
// manager started: the alert thread takes every change, and with a webhook the channel thread
// and the outbox are there behind it (the default group_wait and group_interval, so a message
// goes out now and then, not per alert). The time is the caller's: the stream's thread in the
// agent.
void BM_ConsumeAlert(benchmark::State& state, Publisher publisher, bool webhook)
{
    std::optional<LocalReceiver> receiver;
    QTemporaryDir outbox;
    EventCounter counter;
    EventStream stream;
    stream.addSink(&counter);
    if (publisher == Publisher::Stream)
        stream.start();
    AlertSettings settings;
    if (webhook) {
        receiver.emplace();
        settings.webhook.url = receiver->url();
    }
    {
        AlertManager alerts(publisher == Publisher::Stream ? static_cast<EventPublisher&>(stream)
                                                           : counter,
                            settings, outbox.path());
        for (std::unique_ptr<AlertChannel>& channel : makeAlertChannels(settings))
            alerts.addChannel(std::move(channel));
        if (const QString error = alerts.start(); !error.isEmpty()) {
            state.SkipWithError(qPrintable(error));
            return;
        }
        TransitionFeed feed(kService);
        const std::uint64_t allocationsBefore = threadAllocations();
        for (auto _ : state)
            alerts.consume(feed.next());
        setAllocationCounter(state, "allocs/alert", threadAllocations() - allocationsBefore,
                             double(state.iterations()));
        alerts.stop(); // the alert thread works off what it was handed, the last group goes out
    }
    stream.stop();
    const std::uint64_t announced =
        counter.count(EventType::AlertRaised) + counter.count(EventType::AlertResolved);
    if (announced != std::uint64_t(state.iterations()))
        state.SkipWithError("not every raise and resolution was published");
    if (receiver)
        state.counters["webhook_requests"] = double(receiver->requestCount());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ConsumeAlert, counting_publisher_no_channel, Publisher::Counter, false);
BENCHMARK_CAPTURE(BM_ConsumeAlert, event_stream_no_channel, Publisher::Stream, false);
BENCHMARK_CAPTURE(BM_ConsumeAlert, counting_publisher_webhook, Publisher::Counter, true);
BENCHMARK_CAPTURE(BM_ConsumeAlert, event_stream_webhook, Publisher::Stream, true);

// 1,000 calls' call_started and call_succeeded in one batch, none of them an alert: what alerting
// costs the stream's thread per ordinary event.
void BM_ConsumeOrdinaryBatch(benchmark::State& state)
{
    std::vector<Event> batch;
    const WallTime start = system_clock::now();
    for (std::uint64_t call = 1; call <= 1000; ++call) {
        Event e;
        e.time = start + std::chrono::milliseconds(call);
        e.type = EventType::CallStarted;
        e.service = kService;
        e.callId = call;
        e.state = BreakerState::Closed;
        batch.push_back(e);
        e.type = EventType::CallSucceeded;
        e.attempt = 1;
        e.latencyMs = 212.5;
        batch.push_back(e);
    }
    QTemporaryDir outbox;
    EventCounter counter;
    AlertManager alerts(counter, AlertSettings{}, outbox.path());
    if (const QString error = alerts.start(); !error.isEmpty()) {
        state.SkipWithError(qPrintable(error));
        return;
    }
    const std::uint64_t allocationsBefore = threadAllocations();
    for (auto _ : state)
        alerts.consume(batch);
    const double events = double(state.iterations()) * double(batch.size());
    setAllocationCounter(state, "allocs/event", threadAllocations() - allocationsBefore, events);
    state.SetItemsProcessed(std::int64_t(events));
    alerts.stop();
}
BENCHMARK(BM_ConsumeOrdinaryBatch)->Unit(benchmark::kMicrosecond);

// AlertRules::onEvent alone for the same transitions: the rules' share of BM_ConsumeAlert.
void BM_RulesOnTransition(benchmark::State& state)
{
    AlertRules rules{AlertRuleSettings{}};
    TransitionFeed feed(kService);
    std::uint64_t changes = 0;
    const std::uint64_t allocationsBefore = threadAllocations();
    for (auto _ : state) {
        std::vector<Alert> alerts = rules.onEvent(feed.next().front());
        changes += alerts.size();
        benchmark::DoNotOptimize(alerts.data());
    }
    setAllocationCounter(state, "allocs/alert", threadAllocations() - allocationsBefore,
                         double(state.iterations()));
    if (changes != std::uint64_t(state.iterations()))
        state.SkipWithError("a transition did not raise or resolve breaker_open");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RulesOnTransition);

double percentile(std::vector<double> samples, double fraction)
{
    std::sort(samples.begin(), samples.end());
    const auto index = std::size_t(fraction * double(samples.size() - 1) + 0.5);
    return samples[std::min(index, samples.size() - 1)];
}

// From consume() raising an alert to a healthy local webhook having read the whole request: the
// queued hand-off to the alert thread, the grouper, the outbox file, the channel thread and the
// HTTP POST over loopback. group_wait is configured to 0 (and group_interval to 10 ms) so that
// this is the delivery path alone; the default group_wait of 1 s holds every first message back
// on purpose. Each alert is another service's, so each is a group of its own, and each is
// delivered and reported before the next is raised. Iteration time is each alert's latency.
void BM_DeliveryLatency(benchmark::State& state)
{
    LocalReceiver receiver;
    QTemporaryDir outbox;
    EventCounter counter;
    AlertSettings settings;
    settings.routing.groupWait = Duration::zero();
    settings.routing.groupInterval = 10ms;
    settings.webhook.url = receiver.url();
    settings.webhook.secret = QStringLiteral("bench-signing-secret"); // signed, as in production
    AlertManager alerts(counter, settings, outbox.path());
    for (std::unique_ptr<AlertChannel>& channel : makeAlertChannels(settings))
        alerts.addChannel(std::move(channel));
    if (const QString error = alerts.start(); !error.isEmpty()) {
        state.SkipWithError(qPrintable(error));
        return;
    }
    std::vector<double> samples;
    for (auto _ : state) {
        const QString service = QStringLiteral("svc-%1").arg(samples.size());
        const QByteArray needle = '"' + service.toUtf8() + '"';
        const Event open =
            transition(service, BreakerState::Closed, BreakerState::Open, system_clock::now());
        const std::uint64_t delivered = counter.count(EventType::AlertDelivered);
        const TimePoint start = steady_clock::now();
        alerts.consume({&open, 1});
        const std::optional<TimePoint> received = receiver.waitFor(needle, 10s);
        if (!received) {
            state.SkipWithError("the webhook did not receive the alert within 10 s");
            break;
        }
        const double seconds = std::chrono::duration<double>(*received - start).count();
        state.SetIterationTime(seconds);
        samples.push_back(seconds);
        // Outside the figure: the channel thread ends its attempt (outbox file removed, outcome
        // reported) before the next alert, so each sample starts from an idle system.
        if (!waitUntil([&] { return counter.count(EventType::AlertDelivered) > delivered; }, 10s)) {
            state.SkipWithError("the delivery was not reported");
            break;
        }
    }
    alerts.stop();
    if (samples.empty())
        return;
    state.counters["median_ms"] = percentile(samples, 0.5) * 1e3;
    state.counters["p99_ms"] = percentile(samples, 0.99) * 1e3;
    state.counters["max_ms"] = *std::max_element(samples.begin(), samples.end()) * 1e3;
    state.counters["failed_attempts"] = double(counter.count(EventType::AlertDeliveryFailed));
}
BENCHMARK(BM_DeliveryLatency)->Iterations(100)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // as in the agent, which always has one
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
