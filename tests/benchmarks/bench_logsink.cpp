// The structured log's costs: formatting one line, and the whole path from publish() through the
// event stream and JsonLogSink to app.log. Run from a release build:
//   build/release/tests/benchmarks/bench_logsink --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true

#include "allocationcounter.h"
#include "events/eventstream.h"
#include "telemetry/jsonlogsink.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <thread>

using namespace breakwater;

namespace {

// An attempt that failed with every field filled in: the longest line the pipeline commonly
// writes.
Event typicalAttemptFailed()
{
    Event event;
    event.sequence = 1'234'567;
    event.time = WallTime(std::chrono::milliseconds(1'795'791'845'123));
    event.type = EventType::AttemptFailed;
    event.level = EventLevel::Warning;
    event.service = QStringLiteral("elevenlabs");
    event.callId = 48'213;
    event.attempt = 2;
    event.state = BreakerState::HalfOpen;
    event.fromState = BreakerState::Open;
    event.toState = BreakerState::HalfOpen;
    event.reason = QStringLiteral("http_503");
    event.latencyMs = 812.345;
    event.delayMs = 400;
    event.errorKind = ErrorKind::Transient;
    event.httpStatus = 503;
    event.errorCode = QStringLiteral("system_busy");
    event.message = QStringLiteral("The service is temporarily overloaded, please try again");
    return event;
}

long peakResidentKilobytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

void formatLines(benchmark::State& state, Event event)
{
    JsonLinesFormatter formatter;
    QByteArray buffer;
    buffer.reserve(1 << 20);
    std::int64_t bytes = 0;
    const std::uint64_t allocationsBefore = bench::allocationCount();
    for (auto _ : state) {
        // A millisecond apart, like a busy pipeline: the timestamp's second changes now and then.
        event.time += std::chrono::milliseconds(1);
        ++event.sequence;
        formatter.append(event, buffer);
        if (buffer.size() > (1 << 20) - 4096) {
            bytes += buffer.size();
            buffer.resize(0);
        }
        benchmark::DoNotOptimize(buffer.data());
    }
    bytes += buffer.size();
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(bytes);
    state.counters["allocs/event"] = benchmark::Counter(
        double(bench::allocationCount() - allocationsBefore), benchmark::Counter::kAvgIterations);
}

void BM_Formatter_AttemptFailed(benchmark::State& state)
{
    formatLines(state, typicalAttemptFailed());
}
BENCHMARK(BM_Formatter_AttemptFailed);

// The same line with a message in Arabic, CJK and emoji: the non-ASCII path of the escaper.
void BM_Formatter_NonAsciiMessage(benchmark::State& state)
{
    Event event = typicalAttemptFailed();
    event.message = QStringLiteral("\u0627\u0644\u062e\u062f\u0645\u0629 \u4e0d\u53ef\u7528 "
                                   "\U0001F6A8 \"quoted\"\n") +
                    event.message;
    formatLines(state, std::move(event));
}
BENCHMARK(BM_Formatter_NonAsciiMessage);

// publish() from one thread, the stream's dispatch thread formats and writes, stop() hands over
// the rest and flushes: events/s is the whole path, final write included.
void BM_EndToEnd_PublishToFile(benchmark::State& state)
{
    const auto eventsPerRun = int(state.range(0));
    QTemporaryDir dir;
    if (!dir.isValid()) {
        state.SkipWithError("no temporary directory");
        return;
    }
    const Event prototype = typicalAttemptFailed();
    std::uint64_t dropped = 0;
    qsizetype peakBuffer = 0;
    std::uint64_t bytes = 0;
    for (auto _ : state) {
        JsonLogSink sink(dir.path());
        if (const QString error = sink.open(); !error.isEmpty()) {
            state.SkipWithError(qPrintable(error));
            return;
        }
        {
            EventStream stream;
            stream.addSink(&sink);
            stream.start();
            for (int i = 0; i < eventsPerRun; ++i) {
                Event event = prototype;
                event.callId = std::uint64_t(i);
                stream.publish(std::move(event));
            }
            stream.stop();
            dropped += stream.droppedCount();
        }
        peakBuffer = std::max(peakBuffer, sink.peakBufferBytes());
        bytes += sink.bytesWritten();

        state.PauseTiming();
        QFile::remove(sink.filePath()); // keeps the disk from filling over many runs
        state.ResumeTiming();
    }
    const double events = double(state.iterations()) * eventsPerRun;
    state.counters["events/s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
    state.counters["MB/s"] = benchmark::Counter(double(bytes) / 1e6, benchmark::Counter::kIsRate);
    state.counters["dropped"] = double(dropped);
    state.counters["peak_buffer_KiB"] = double(peakBuffer) / 1024;
    state.counters["peak_rss_MiB"] = double(peakResidentKilobytes()) / 1024;
}
BENCHMARK(BM_EndToEnd_PublishToFile)->Arg(200'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// The target rate held for a second: 5,000 events every 10 ms from one thread. The backlog (events
// published but not yet in the file, at most one write buffer's worth when the sink keeps up) shows
// whether memory stays flat at that rate; a sink that fell behind would show it growing.
void BM_EndToEnd_Sustained500kPerSecond(benchmark::State& state)
{
    constexpr int kSlots = 100;
    constexpr int kPerSlot = 5'000;
    constexpr auto kSlot = std::chrono::milliseconds(10);
    QTemporaryDir dir;
    if (!dir.isValid()) {
        state.SkipWithError("no temporary directory");
        return;
    }
    const Event prototype = typicalAttemptFailed();
    std::uint64_t peakBacklog = 0;
    std::uint64_t dropped = 0;
    for (auto _ : state) {
        JsonLogSink sink(dir.path());
        if (const QString error = sink.open(); !error.isEmpty()) {
            state.SkipWithError(qPrintable(error));
            return;
        }
        {
            EventStream stream;
            stream.addSink(&sink);
            stream.start();
            auto slotStart = std::chrono::steady_clock::now();
            for (int slot = 0; slot < kSlots; ++slot) {
                for (int i = 0; i < kPerSlot; ++i) {
                    Event event = prototype;
                    event.callId = std::uint64_t(slot * kPerSlot + i + 1);
                    stream.publish(std::move(event));
                }
                slotStart += kSlot;
                std::this_thread::sleep_until(slotStart);
                peakBacklog = std::max(peakBacklog, stream.publishedCount() - sink.eventsWritten());
            }
            stream.stop();
            dropped += stream.droppedCount();
        }
        state.PauseTiming();
        QFile::remove(sink.filePath());
        state.ResumeTiming();
    }
    state.counters["events/s"] = benchmark::Counter(double(state.iterations()) * kSlots * kPerSlot,
                                                    benchmark::Counter::kIsRate);
    state.counters["peak_backlog_events"] = double(peakBacklog);
    state.counters["dropped"] = double(dropped);
}
BENCHMARK(BM_EndToEnd_Sustained500kPerSecond)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
