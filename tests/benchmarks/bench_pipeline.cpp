// The call pipeline end to end: throughput against a service that answers at once (breaker, retry
// and event stream with app.log attached), a skipped call's cost while the breaker is open, and
// calls over loopback HTTP against the simulator with each thread's share of the CPU.

#include "breaker/circuitbreaker.h"
#include "events/eventstream.h"
#include "inprocessttsservice.h"
#include "pipeline/callpipeline.h"
#include "services/elevenlabs/elevenlabsclient.h"
#include "services/simulator/simulatorhost.h"
#include "telemetry/jsonlogsink.h"
#include "threadcpu.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <condition_variable>
#include <mutex>

using namespace breakwater;
using namespace std::chrono_literals;

namespace {

// Counts terminal events and lets the benchmark wait for a number of them.
class EndingCounter final : public EventSink
{
public:
    void consume(std::span<const Event> events) override
    {
        std::uint64_t ended = 0;
        for (const Event& e : events)
            ended += isTerminal(e.type) ? 1 : 0;
        std::lock_guard lock(m_mutex);
        m_ended += ended;
        m_changed.notify_all();
    }
    // False if they did not all arrive within a minute (events were shed: see dropped).
    bool waitFor(std::uint64_t count)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::minutes(1), [&] { return m_ended >= count; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_ended = 0;
};

PipelineOptions benchOptions()
{
    PipelineOptions options;
    options.pipeline.queueCapacity = 1 << 20;
    options.pipeline.maxInFlight = 64;
    options.healthChecks = false;
    return options;
}

JsonLogSinkOptions infoLevel()
{
    JsonLogSinkOptions options;
    options.minimumLevel = EventLevel::Info;
    return options;
}

// The stream with app.log (in a temporary dir) and the counter on it.
struct LoggedStream
{
    // The log at the config's default level (info), as the agent runs it.
    LoggedStream()
        : log(dir.path(), infoLevel())
    {
        if (!log.open().isEmpty())
            std::abort();
        stream.addSink(&log);
        stream.addSink(&counter);
        stream.start();
    }
    QTemporaryDir dir;
    JsonLogSink log;
    EndingCounter counter;
    EventStream stream;
};

void BM_PipelineThroughputInProcess(benchmark::State& state)
{
    const auto calls = std::uint64_t(state.range(0));
    for (auto _ : state) {
        LoggedStream logged;
        CallPipeline pipeline(
            benchOptions(), [] { return std::make_unique<test::InProcessTtsService>(); },
            logged.stream);
        pipeline.start();
        const auto start = std::chrono::steady_clock::now();
        for (std::uint64_t i = 0; i < calls; ++i)
            pipeline.submit({0, QStringLiteral("Hello, this is Ava from Northwind Dental."), {}});
        if (!logged.counter.waitFor(calls))
            state.SkipWithError("not every call's ending reached the sinks");
        const auto elapsed = std::chrono::steady_clock::now() - start;
        state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
        pipeline.stop();
        logged.stream.stop();
        state.counters["dropped_events"] = double(logged.stream.droppedCount());
        state.counters["log_lines"] = double(logged.log.eventsWritten());
    }
    state.counters["calls/s"] =
        benchmark::Counter(double(calls) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PipelineThroughputInProcess)
    ->Arg(200000)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// submit() while the breaker is open: the call_skipped event is published before it returns, so
// this is the time from submitting a call to its terminal event being in the stream.
void BM_SkipWhileOpen(benchmark::State& state)
{
    LoggedStream logged;
    CallPipeline pipeline(
        benchOptions(), [] { return std::make_unique<test::InProcessTtsService>(); },
        logged.stream);
    pipeline.start();
    pipeline.breaker()->forceOpen();
    std::uint64_t submitted = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(pipeline.submit({0, QStringLiteral("Hello"), {}}));
        ++submitted;
    }
    if (!logged.counter.waitFor(submitted))
        state.SkipWithError("not every skipped call's ending reached the sinks");
    pipeline.stop();
}
BENCHMARK(BM_SkipWhileOpen)->Unit(benchmark::kMicrosecond);

// Calls over real loopback HTTP to the simulator on its own thread, with the real client.
void BM_PipelineOverLoopbackHttp(benchmark::State& state)
{
    const auto calls = std::uint64_t(state.range(0));
    double pipelineCpu = 0;
    double simulatorCpu = 0;
    double allCpu = 0;
    for (auto _ : state) {
        SimulatorHost simulator;
        if (!simulator.start(QHostAddress(QHostAddress::LocalHost), 0))
            std::abort();
        ElevenLabsSettings settings;
        settings.baseUrl = simulator.baseUrl();
        settings.apiKey = QStringLiteral("bench-key");
        LoggedStream logged;
        CallPipeline pipeline(
            benchOptions(), [settings] { return std::make_unique<ElevenLabsClient>(settings); },
            logged.stream);
        pipeline.start();
        const auto before = bench::cpuSecondsByThread();
        const auto start = std::chrono::steady_clock::now();
        for (std::uint64_t i = 0; i < calls; ++i)
            pipeline.submit({0, QStringLiteral("Hello, this is Ava from Northwind Dental."), {}});
        if (!logged.counter.waitFor(calls))
            state.SkipWithError("not every call's ending reached the sinks");
        const auto elapsed = std::chrono::steady_clock::now() - start;
        const auto after = bench::cpuSecondsByThread();
        state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
        for (const auto& [name, seconds] : after) {
            const double used = seconds - (before.contains(name) ? before.at(name) : 0.0);
            allCpu += used;
            if (name == QStringLiteral("bw-pipeline"))
                pipelineCpu += used;
            if (name == QStringLiteral("bw-simulator"))
                simulatorCpu += used;
        }
        pipeline.stop();
        logged.stream.stop();
    }
    state.counters["calls/s"] =
        benchmark::Counter(double(calls) * double(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["client_cpu_share"] = allCpu > 0 ? pipelineCpu / allCpu : 0;
    state.counters["simulator_cpu_share"] = allCpu > 0 ? simulatorCpu / allCpu : 0;
    state.counters["client_cpu_us/call"] =
        pipelineCpu * 1e6 / (double(calls) * double(state.iterations()));
}
BENCHMARK(BM_PipelineOverLoopbackHttp)->Arg(5000)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // Qt's network stack wants an application object
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
