// The telemetry's throughput, with a reference point measured in the same run: a million events
// into app.log with rotation on, through the stream and JsonLogSink, next to spdlog's async
// logger with its rotating file sink writing lines of the same shape and length; and a million
// lines of app.log turned into CSV by the command-line exporter. Run from a release build:
//   build/release/tests/benchmarks/bench_telemetry --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true

#include "events/eventstream.h"
#include "telemetry/jsonlogsink.h"
#include "telemetry/logcsvexport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>
#include <spdlog/async.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

using namespace breakwater;

namespace {

constexpr qint64 kRotateAt = 16 * 1024 * 1024;
constexpr int kFilesKept = 3;

Event callEvent(std::uint64_t n)
{
    Event e;
    e.sequence = n + 1;
    e.time = WallTime(std::chrono::milliseconds(1'795'791'845'123 + std::int64_t(n)));
    e.type = n % 2 ? EventType::CallSucceeded : EventType::AttemptFailed;
    e.level = n % 2 ? EventLevel::Info : EventLevel::Warning;
    e.service = QStringLiteral("elevenlabs");
    e.callId = n / 2 + 1;
    e.attempt = 1 + int(n % 3);
    e.state = BreakerState::Closed;
    e.latencyMs = 40.0 + double(n % 97) / 8.0;
    if (e.type == EventType::AttemptFailed) {
        e.errorKind = ErrorKind::Transient;
        e.httpStatus = 503;
        e.errorCode = QStringLiteral("system_busy");
        e.message = QStringLiteral("The service is temporarily overloaded, please try again");
    }
    return e;
}

void removeLogs(const QString& dir)
{
    for (const QString& path : QDir(dir).entryList(QDir::Files))
        QFile::remove(QDir(dir).filePath(path));
}

// publish() from one thread; the stream's thread formats, writes and rotates; stop() flushes.
void BM_Log_JsonLogSinkRotating(benchmark::State& state)
{
    const auto events = std::uint64_t(state.range(0));
    QTemporaryDir dir;
    std::uint64_t bytes = 0;
    std::uint64_t rotations = 0;
    std::uint64_t dropped = 0;
    for (auto _ : state) {
        JsonLogSinkOptions options;
        options.maxFileBytes = kRotateAt;
        options.maxFiles = kFilesKept;
        JsonLogSink sink(dir.path(), options);
        if (const QString error = sink.open(); !error.isEmpty()) {
            state.SkipWithError(qPrintable(error));
            return;
        }
        {
            // Room for the whole run, so that the figure is the log's pace, not the stream
            // shedding what a burst this size would otherwise overflow.
            EventStreamConfig roomy;
            roomy.capacity = std::size_t(1) << 21;
            EventStream stream(roomy);
            stream.addSink(&sink);
            stream.start();
            for (std::uint64_t i = 0; i < events; ++i)
                stream.publish(callEvent(i));
            stream.stop();
            dropped += stream.droppedCount();
        }
        bytes += sink.bytesWritten();
        rotations += sink.rotations();
        state.PauseTiming();
        removeLogs(dir.path());
        state.ResumeTiming();
    }
    const double total = double(state.iterations()) * double(events);
    state.counters["events/s"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
    state.counters["MB/s"] = benchmark::Counter(double(bytes) / 1e6, benchmark::Counter::kIsRate);
    state.counters["rotations"] = double(rotations) / double(state.iterations());
    state.counters["dropped"] = double(dropped);
}
BENCHMARK(BM_Log_JsonLogSinkRotating)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// The reference: spdlog's async logger (its thread pool, a queue of 64k messages that blocks the
// caller when full rather than dropping) into a rotating file sink of the same size and count,
// the same fields formatted into each line by fmt, flushed and drained at the end.
void BM_Log_SpdlogAsyncRotating(benchmark::State& state)
{
    const auto events = std::uint64_t(state.range(0));
    QTemporaryDir dir;
    const std::string path = QDir(dir.path()).filePath(QStringLiteral("app.log")).toStdString();
    for (auto _ : state) {
        spdlog::init_thread_pool(65'536, 1);
        auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            path, std::size_t(kRotateAt), std::size_t(kFilesKept));
        auto logger = std::make_shared<spdlog::async_logger>("bench", sink, spdlog::thread_pool(),
                                                             spdlog::async_overflow_policy::block);
        logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v)",
                            spdlog::pattern_time_type::utc);
        for (std::uint64_t i = 0; i < events; ++i) {
            const Event e = callEvent(i);
            const std::string service = e.service.toStdString();
            if (e.type == EventType::AttemptFailed)
                logger->warn(
                    R"("event":"attempt_failed","service":"{}","call_id":"call-{}","attempt":{},"state":"closed","latency_ms":{:.3f},"error_kind":"transient","http_status":{},"error_code":"system_busy","message":"The service is temporarily overloaded, please try again","seq":{}}})",
                    service, e.callId, e.attempt, *e.latencyMs, e.httpStatus, e.sequence);
            else
                logger->info(
                    R"("event":"call_succeeded","service":"{}","call_id":"call-{}","attempt":{},"state":"closed","latency_ms":{:.3f},"seq":{}}})",
                    service, e.callId, e.attempt, *e.latencyMs, e.sequence);
        }
        logger->flush();
        logger.reset();
        spdlog::shutdown(); // joins the pool's thread once its queue is empty
        state.PauseTiming();
        removeLogs(dir.path());
        state.ResumeTiming();
    }
    const double total = double(state.iterations()) * double(events);
    state.counters["events/s"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Log_SpdlogAsyncRotating)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// A million lines of app.log (written once, not timed) exported whole to a CSV file.
void BM_CsvExport_FromAppLog(benchmark::State& state)
{
    const auto events = std::uint64_t(state.range(0));
    QTemporaryDir dir;
    {
        JsonLogSink sink(dir.path());
        if (const QString error = sink.open(); !error.isEmpty()) {
            state.SkipWithError(qPrintable(error));
            return;
        }
        std::vector<Event> batch;
        for (std::uint64_t i = 0; i < events; ++i) {
            batch.push_back(callEvent(i));
            if (batch.size() == 4096 || i + 1 == events) {
                sink.consume(batch);
                batch.clear();
            }
        }
        sink.flush();
    }
    const QStringList files = JsonLogSink::logFilesOldestFirst(dir.path());
    const QString out = QDir(dir.path()).filePath(QStringLiteral("export.csv"));
    qint64 rows = 0;
    for (auto _ : state) {
        QFile file(out);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            state.SkipWithError("cannot write the CSV");
            return;
        }
        const LogCsvExportResult result = exportLogAsCsv(files, file);
        if (!result.ok()) {
            state.SkipWithError(qPrintable(result.error));
            return;
        }
        rows = result.rowsWritten;
    }
    state.counters["rows"] = double(rows);
    state.counters["rows/s"] =
        benchmark::Counter(double(rows) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CsvExport_FromAppLog)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
